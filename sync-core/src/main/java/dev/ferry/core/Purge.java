package dev.ferry.core;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything below a target's root, surveyed or deleted: what {@code ferry purge} does to a
 * pair's remote. A walk holds one directory's listing at a time (depth first), so a tree of a
 * million files needs no million-entry list. Deletion goes file by file, then each directory once
 * it is empty; a failure is recorded and the rest goes on. The root itself stays.
 */
public final class Purge {

    private final SyncTarget target;

    private Purge(SyncTarget target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    /** A purge of everything below {@code target}'s root. */
    public static Purge of(SyncTarget target) {
        return new Purge(target);
    }

    /**
     * What is there.
     *
     * @param files files below the root
     * @param bytes their total size
     * @param notices what the listings said could not be seen (unreadable directories and the like)
     */
    public record Contents(long files, long bytes, List<String> notices) {
        /** Copies. */
        public Contents {
            notices = List.copyOf(notices);
        }
    }

    /**
     * What a deletion did.
     *
     * @param filesDeleted files deleted
     * @param failures one line per file or directory that could not be deleted
     */
    public record Result(long filesDeleted, List<String> failures) {
        /** Copies. */
        public Result {
            failures = List.copyOf(failures);
        }
    }

    /** Counts what is below the root, deleting nothing. */
    public Contents survey() throws IOException {
        long[] totals = new long[2];
        List<String> notices = new ArrayList<>();
        DepthFirstWalk.walk(target, SyncPath.ROOT, notices, (dir, files) -> {
            for (Entry f : files) {
                totals[0]++;
                totals[1] += f.size();
            }
        }, dir -> { });
        return new Contents(totals[0], totals[1], notices);
    }

    /** Deletes everything below the root (the root stays). */
    public Result deleteAll() throws IOException {
        long[] deleted = {0};
        List<String> failures = new ArrayList<>();
        DepthFirstWalk.walk(target, SyncPath.ROOT, new ArrayList<>(), (dir, files) -> {
            for (Entry f : files) {
                if (delete(f.path(), failures)) {
                    deleted[0]++;
                }
            }
        }, dir -> delete(dir, failures));
        return new Result(deleted[0], failures);
    }

    private boolean delete(SyncPath path, List<String> failures) {
        try {
            target.delete(path);
            return true;
        } catch (IOException | RuntimeException e) {
            failures.add("delete " + path + ": " + SyncTargets.redact(String.valueOf(e.getMessage())));
            return false;
        }
    }

    @Override
    public String toString() {
        return "Purge[" + target.description() + "]";
    }
}
