package dev.ferry.backend.local;

import dev.ferry.api.Entry;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PermissionDeniedException;
import dev.ferry.api.SyncPath;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import dev.ferry.api.PosixModes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every part of a {@link LocalTarget} shares: the root, the options, the symbolic-link
 * policy that keeps every path under the root, and how attributes become an {@link Entry}
 * (one way, so a listing, a stat and a write's precondition check agree on size and time).
 */
final class LocalFiles {

    static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    static final LinkOption[] FOLLOW = {};

    final Path root;
    final LocalTargetOptions options;
    private final Supplier<Duration> precision;
    private volatile Path rootRealPath;

    /** @param precision the modification-time precision, measured lazily by the target */
    LocalFiles(Path root, LocalTargetOptions options, Supplier<Duration> precision) {
        this.root = root;
        this.options = options;
        this.precision = precision;
    }

    Duration precision() {
        return precision.get();
    }

    String where(SyncPath path) {
        return Errors.where(path, root);
    }

    IOException map(IOException e, String action, SyncPath path) {
        return Errors.map(e, action, path, root);
    }

    /** A delete that failed: nothing there (a file where a parent should be) counts as deleted; else the mapped error. */
    void deleteFailed(IOException e, SyncPath path) throws IOException {
        IOException mapped = map(e, "delete", path);
        if (!(mapped instanceof NotFoundException)) {
            throw mapped;
        }
    }

    /**
     * The local path of {@code path}, after checking that no existing component on the way from
     * the root (and the final one too, if {@code checkLast}) is a symbolic link this target may
     * not follow. Operations that replace or remove the final name itself pass
     * {@code checkLast = false}: a rename or unlink acts on the link, not on what it points to.
     */
    Path resolve(SyncPath path, boolean checkLast, String action) throws IOException {
        List<String> segments = path.segments();
        int checked = checkLast ? segments.size() : segments.size() - 1;
        Path p = root;
        boolean exists = true;
        for (int i = 0; i < segments.size(); i++) {
            try {
                p = p.resolve(segments.get(i));
            } catch (InvalidPathException e) {
                throw new PermanentSyncException("cannot " + action + " " + where(path)
                        + ": the name cannot be represented on this file system (platform charset "
                        + platformCharset() + "): " + e.getReason(), e);
            }
            if (exists && i < checked) {
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(p, LocalFiles.ATTRIBUTES, NOFOLLOW);
                } catch (IOException e) {
                    // Missing (or unreachable): nothing below it can be a link; the operation
                    // itself will report whatever is wrong.
                    exists = false;
                    continue;
                }
                if (attrs.isSymbolicLink()) {
                    Optional<String> refusal = linkRefusal(p);
                    if (refusal.isPresent()) {
                        String link = String.join("/", segments.subList(0, i + 1));
                        throw new PermissionDeniedException("cannot " + action + " " + where(path)
                                + (leadsOutside(p)
                                        ? ": refusing to follow symlink leaving the root at '" + link + "'"
                                        : ": refusing to follow symlink at '" + link + "': " + refusal.get()));
                    }
                }
            }
        }
        return p;
    }

    /** Why the link at {@code link} may not be followed, or empty if it may. */
    Optional<String> linkRefusal(Path link) {
        if (!options.followSymlinks()) {
            return Optional.of("symbolic link, not followed (set followSymlinks=true to follow links inside the root)");
        }
        try {
            link.toRealPath();
        } catch (IOException e) {
            return Optional.of("broken symbolic link (its target does not exist)");
        }
        if (leadsOutside(link)) {
            return Optional.of("symbolic link leads outside the root, not followed");
        }
        return Optional.empty();
    }

    /** Whether a link resolves to somewhere outside the root's real path (a broken link does not). */
    private boolean leadsOutside(Path link) {
        try {
            return !link.toRealPath().startsWith(rootRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private Path rootRealPath() throws IOException {
        Path r = rootRealPath;
        if (r == null) {
            r = root.toRealPath();
            rootRealPath = r;
        }
        return r;
    }

    /**
     * What is at {@code p} as {@code path}: a link this target would not follow counts as absent
     * (the root itself may be a link), a link it follows as what it points to. {@code p} need not
     * be where {@code path} lives: a write's precondition check looks at the file it took aside.
     */
    Optional<Entry> entryAt(SyncPath path, Path p, String action) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(p, LocalFiles.ATTRIBUTES, NOFOLLOW);
            if (attrs.isSymbolicLink()) {
                if (!path.isRoot() && linkRefusal(p).isPresent()) {
                    return Optional.empty();
                }
                attrs = Files.readAttributes(p, LocalFiles.ATTRIBUTES);
            }
        } catch (IOException e) {
            IOException mapped = map(e, action, path);
            if (mapped instanceof NotFoundException) {
                return Optional.empty();
            }
            throw mapped;
        }
        return toEntry(path, attrs, precision());
    }

    /** The entry as now stored, read back rather than assumed, so callers see the real mtime. */
    Entry storedEntry(SyncPath path, Path p, String action) throws IOException {
        BasicFileAttributes attrs = attributes(path, p, action, FOLLOW);
        return toEntry(path, attrs, precision()).orElseThrow(() -> new PermanentSyncException(
                "cannot " + action + " " + where(path) + ": not a regular file or directory afterwards"));
    }

    static Optional<Entry> toEntry(SyncPath path, BasicFileAttributes attrs, Duration precision) {
        Instant mtime = attrs.lastModifiedTime().toInstant();
        Entry.Builder b;
        if (attrs.isRegularFile()) {
            b = Entry.file(path, attrs.size());
        } else if (attrs.isDirectory()) {
            b = Entry.directory(path);
        } else {
            return Optional.empty();
        }
        if (attrs instanceof PosixFileAttributes posix) {
            b.mode(PosixModes.mode(posix.permissions()));
        }
        return Optional.of(b.modTime(mtime).modTimePrecision(precision).build());
    }

    /**
     * What a stat reads: the POSIX view where the file system has one (the same single
     * {@code lstat}, with the mode bits), else the basic one.
     */
    static final Class<? extends BasicFileAttributes> ATTRIBUTES =
            java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? PosixFileAttributes.class : BasicFileAttributes.class;

    /** Whether this file system keeps POSIX modes. */
    static boolean keepsModes() {
        return ATTRIBUTES == PosixFileAttributes.class;
    }

    BasicFileAttributes attributes(SyncPath path, Path p, String action, LinkOption[] links) throws IOException {
        try {
            return Files.readAttributes(p, LocalFiles.ATTRIBUTES, links);
        } catch (IOException e) {
            throw map(e, action, path);
        }
    }

    void requireRegularFile(SyncPath path, Path p, String action, LinkOption[] links) throws IOException {
        BasicFileAttributes attrs = attributes(path, p, action, links);
        if (attrs.isDirectory()) {
            throw new PermanentSyncException("cannot " + action + " " + where(path) + ": it is a directory");
        }
        if (!attrs.isRegularFile()) {
            throw new PermanentSyncException("cannot " + action + " " + where(path) + ": not a regular file");
        }
    }

    /**
     * Checks and prepares the destination of a new file: not the root, not a reserved name, no
     * link on the way, parents created, no directory in the way.
     */
    Path prepareFileDestination(SyncPath path, String action) throws IOException {
        if (path.isRoot()) {
            throw new PermanentSyncException("cannot " + action + " the root " + root + " as a file");
        }
        if (TemporaryNames.isTemporary(path.name())) {
            throw reservedName(path, action);
        }
        Path target = resolve(path, false, action);
        try {
            // Most parents exist already: one stat, where createDirectories would build and throw a
            // FileAlreadyExistsException (with its stack trace) per file.
            if (!Files.isDirectory(target.getParent())) {
                Files.createDirectories(target.getParent());
            }
        } catch (FileAlreadyExistsException e) {
            throw new PermanentSyncException("cannot " + action + " " + where(path)
                    + ": a file is in the way of a parent directory (" + e.getFile() + ")", e);
        } catch (IOException e) {
            throw map(e, action, path);
        }
        if (Files.isDirectory(target, NOFOLLOW)) {
            throw new PermanentSyncException("cannot " + action + " " + where(path) + ": a directory is in the way");
        }
        return target;
    }

    PermanentSyncException reservedName(SyncPath path, String action) {
        return new PermanentSyncException("cannot " + action + " " + where(path)
                + ": the name has the form of Ferry's temporary files (.ferry-….partial)");
    }

    /** Forces a directory's entries (the rename) to the device, where the platform allows it. */
    void fsyncDirectory(Path dir, SyncPath path) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException e) {
            return; // Windows cannot open a directory as a channel; the file's data was forced
        }
        try (ch) {
            ch.force(true);
        } catch (IOException e) {
            throw map(e, "sync the directory of", path);
        }
    }

    /** The charset file names are decoded and encoded with. */
    static String platformCharset() {
        return System.getProperty("sun.jnu.encoding", System.getProperty("file.encoding", "?"));
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // The sweep removes it later; the original failure is what matters to the caller.
        }
    }

    static void closeQuietly(java.io.Closeable ch, IOException failure) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
