package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/** A listing of the regular files under a root, used to verify what a tool left behind. */
final class Tree {

    /**
     * What one file looked like. {@code token} (inode and ctime, when asked for) changes when a file is
     * rewritten or replaced, even if size and mtime are put back.
     */
    record FileMeta(long size, FileTime mtime, String token) {
    }

    private final SortedMap<String, FileMeta> files;
    private final List<String> others;

    private Tree(SortedMap<String, FileMeta> files, List<String> others) {
        this.files = Collections.unmodifiableSortedMap(files);
        this.others = List.copyOf(others);
    }

    SortedMap<String, FileMeta> files() {
        return files;
    }

    long totalBytes() {
        return files.values().stream().mapToLong(FileMeta::size).sum();
    }

    /** Lists {@code root} recursively; {@code tokens} also records inode + ctime of each file. */
    static Tree scan(Path root, boolean tokens) throws IOException {
        SortedMap<String, FileMeta> files = new TreeMap<>();
        List<String> others = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return new Tree(files, others);
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
                String rel = relative(root, file);
                if (a.isRegularFile()) {
                    String token = null;
                    if (tokens) {
                        Object ctime = ctime(file);
                        token = a.fileKey() + " ctime=" + ctime;
                    }
                    files.put(rel, new FileMeta(a.size(), a.lastModifiedTime(), token));
                } else {
                    others.add(rel);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return new Tree(files, others);
    }

    private static Object ctime(Path file) throws IOException {
        try {
            return Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return "n/a";
        }
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    /** Problems that keep {@code dst} from being a mirror of {@code src} by path and size; empty if none. */
    static List<String> mirrorProblems(Tree src, Tree dst, int limit) {
        List<String> p = new ArrayList<>();
        for (Map.Entry<String, FileMeta> e : src.files.entrySet()) {
            FileMeta d = dst.files.get(e.getKey());
            if (d == null) {
                add(p, "missing in destination: " + e.getKey());
            } else if (d.size() != e.getValue().size()) {
                add(p, "size differs: " + e.getKey() + " source " + e.getValue().size() + " destination " + d.size());
            }
        }
        for (String k : dst.files.keySet()) {
            if (!src.files.containsKey(k)) {
                add(p, "extra in destination: " + k);
            }
        }
        for (String o : dst.others) {
            add(p, "not a regular file in destination: " + o);
        }
        if (src.files.size() != dst.files.size() || src.totalBytes() != dst.totalBytes()) {
            p.add(0, String.format("source %,d files / %,d bytes, destination %,d files / %,d bytes",
                    src.files.size(), src.totalBytes(), dst.files.size(), dst.totalBytes()));
        }
        return p.size() > limit ? List.copyOf(p.subList(0, limit)) : p;
    }

    /** Files that a no-op run touched (created, deleted, rewritten, re-timed); empty if none. */
    static List<String> changes(Tree before, Tree after, int limit) {
        List<String> p = new ArrayList<>();
        for (Map.Entry<String, FileMeta> e : before.files.entrySet()) {
            FileMeta a = after.files.get(e.getKey());
            if (a == null) {
                add(p, "deleted: " + e.getKey());
            } else if (!a.equals(e.getValue())) {
                add(p, "modified: " + e.getKey() + " before " + e.getValue() + " after " + a);
            }
        }
        for (String k : after.files.keySet()) {
            if (!before.files.containsKey(k)) {
                add(p, "created: " + k);
            }
        }
        return p.size() > limit ? List.copyOf(p.subList(0, limit)) : p;
    }

    /** Paths among {@code paths} whose content differs between the two roots; empty if none. */
    static List<String> contentProblems(Path srcRoot, Path dstRoot, Collection<String> paths, int limit)
            throws IOException {
        List<String> p = new ArrayList<>();
        for (String rel : paths) {
            Path a = srcRoot.resolve(rel);
            Path b = dstRoot.resolve(rel);
            if (!Files.isRegularFile(b)) {
                add(p, "missing in destination: " + rel);
            } else if (Files.mismatch(a, b) != -1) {
                add(p, "content differs: " + rel);
            }
            if (p.size() >= limit) {
                break;
            }
        }
        return p;
    }

    private static void add(List<String> p, String s) {
        p.add(Objects.requireNonNull(s));
    }
}
