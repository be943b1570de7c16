package dev.ferry.core;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A plain depth-first walk of one target, holding one directory's listing at a time (the
 * engine's own walk compares two sides; this is for a survey of one: {@link Purge},
 * {@link ShardPlan}).
 */
final class DepthFirstWalk {

    private DepthFirstWalk() {}

    /** Told the files of each directory, once per directory. */
    interface Files {
        void files(SyncPath dir, List<Entry> files) throws IOException;
    }

    /** Told that a directory's whole subtree was visited (deepest first). */
    interface Done {
        void done(SyncPath dir) throws IOException;
    }

    /** Walks below {@code dir}; listing notices are added to {@code notices} as text. */
    static void walk(SyncTarget target, SyncPath dir, List<String> notices, Files files, Done done) throws IOException {
        List<Entry> here = new ArrayList<>();
        List<SyncPath> subdirs = listOne(target, dir, notices, here::add);
        files.files(dir, here);
        here.clear();
        for (SyncPath sub : subdirs) {
            walk(target, sub, notices, files, done);
            done.done(sub);
        }
    }

    /**
     * Walks below {@code dir} telling each file as the listing streams it, without holding even
     * one directory's files (a flat prefix of millions of keys is one directory).
     */
    static void eachFile(SyncTarget target, SyncPath dir, List<String> notices, Consumer<Entry> file) throws IOException {
        for (SyncPath sub : listOne(target, dir, notices, file)) {
            eachFile(target, sub, notices, file);
        }
    }

    private static List<SyncPath> listOne(SyncTarget target, SyncPath dir, List<String> notices, Consumer<Entry> file)
            throws IOException {
        List<SyncPath> subdirs = new ArrayList<>();
        target.list(dir, new ListingSink() {
            @Override
            public void entry(Entry e) {
                if (e.isFile()) {
                    file.accept(e);
                } else {
                    subdirs.add(e.path());
                }
            }

            @Override
            public void notice(ListingNotice n) {
                notices.add(n.toString());
            }
        });
        return subdirs;
    }
}
