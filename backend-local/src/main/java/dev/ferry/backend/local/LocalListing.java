package dev.ferry.backend.local;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import dev.ferry.backend.support.TemporaryFiles;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * One listing of one directory, so {@link #emit} reads as one decision per child. Leaves out,
 * with a notice: names this process cannot represent, names that are not safe {@link SyncPath}
 * segments, symbolic links not followed, special files, entries whose attributes cannot be
 * read. Leaves out silently: temporary files, deleting stale ones once the listing is done.
 */
final class LocalListing {

    /** An aside file untouched this long (or tempMaxAge, if shorter) belongs to no write still running. */
    private static final java.time.Duration ASIDE_SETTLE = java.time.Duration.ofMinutes(1);

    private final LocalFiles fs;
    private final LocalPublisher publisher;
    private final SyncPath directory;
    private final Path dir;
    private final ListingSink sink;
    private final Duration precision;
    private final Instant staleBefore;
    private final TemporaryFiles temps;
    private List<Path> ancestorRealPaths;

    private LocalListing(LocalFiles fs, LocalPublisher publisher, SyncPath directory, Path dir, ListingSink sink) {
        this.fs = fs;
        this.publisher = publisher;
        this.directory = directory;
        this.dir = dir;
        this.sink = sink;
        this.precision = fs.precision();
        this.staleBefore = Instant.now().minus(fs.options.tempMaxAge());
        this.temps = new TemporaryFiles(staleBefore);
    }

    /** Streams the children of {@code directory} to {@code sink}. */
    static void list(LocalFiles fs, LocalPublisher publisher, SyncPath directory, ListingSink sink) throws IOException {
        Path dir = fs.resolve(directory, true, "list");
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(dir, LocalFiles.ATTRIBUTES);
        } catch (IOException e) {
            throw fs.map(e, "list", directory);
        }
        if (!attrs.isDirectory()) {
            throw new NotFoundException("cannot list " + fs.where(directory) + ": not a directory");
        }
        LocalListing listing = new LocalListing(fs, publisher, directory, dir, sink);
        DirectoryStream<Path> stream;
        try {
            stream = Files.newDirectoryStream(dir);
        } catch (IOException e) {
            throw fs.map(e, "list", directory);
        }
        try (stream) {
            Iterator<Path> it = stream.iterator();
            while (true) {
                Path child;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    child = it.next();
                } catch (DirectoryIteratorException e) {
                    throw fs.map(e.getCause(), "list", directory);
                }
                // The sink's own IOExceptions pass through unchanged: they are the caller's.
                listing.emit(child);
            }
        }
        listing.sweep();
    }

    private void emit(Path child) throws IOException {
        String name = child.getFileName().toString();
        if (!roundTrips(child, name)) {
            // Not an attack and not a deletion: the name exists, this process just cannot spell it.
            sink.notice(ListingNotice.unrepresentableName(directory, name, "in " + fs.where(directory)
                    + ": the name is not valid in this process's file-name encoding (the platform charset,"
                    + " sun.jnu.encoding=" + LocalFiles.platformCharset() + "), so it cannot be read or written"
                    + " by name; run with a UTF-8 locale such as LC_ALL=C.UTF-8"));
            return;
        }
        try {
            SyncPath.checkName(name);
        } catch (IllegalArgumentException e) {
            sink.notice(ListingNotice.hostileName(directory, name, "in " + fs.where(directory) + ": " + e.getMessage()));
            return;
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(child, LocalFiles.ATTRIBUTES, LocalFiles.NOFOLLOW);
        } catch (NoSuchFileException e) {
            return; // deleted since the directory was read: simply not there any more
        } catch (IOException e) {
            if (temps.hide(name, Optional.empty())) {
                return;
            }
            sink.notice(new ListingNotice(directory.child(name).toString(), ListingNotice.Reason.UNREADABLE,
                    "cannot read attributes: " + e.getMessage()));
            return;
        }
        // The mtime makes a candidate for the sweep; sweep() checks the change time too.
        Optional<Instant> modified = attrs.isRegularFile() ? Optional.of(attrs.lastModifiedTime().toInstant())
                : Optional.empty();
        if (temps.hide(name, modified)) {
            return;
        }
        SyncPath path = directory.child(name);
        if (attrs.isSymbolicLink()) {
            Optional<String> refusal = fs.linkRefusal(child);
            if (refusal.isEmpty() && isLoop(child)) {
                refusal = Optional.of("symbolic link to an enclosing directory (a loop), not followed");
            }
            if (refusal.isPresent()) {
                sink.notice(new ListingNotice(path.toString(), ListingNotice.Reason.SYMLINK, refusal.get()));
                return;
            }
            try {
                attrs = Files.readAttributes(child, LocalFiles.ATTRIBUTES);
            } catch (IOException e) {
                sink.notice(new ListingNotice(path.toString(), ListingNotice.Reason.UNREADABLE,
                        "cannot read the target of a symbolic link: " + e.getMessage()));
                return;
            }
        }
        Optional<Entry> entry = LocalFiles.toEntry(path, attrs, precision);
        if (entry.isPresent()) {
            sink.entry(entry.get());
        } else {
            sink.notice(new ListingNotice(path.toString(), ListingNotice.Reason.SPECIAL_FILE,
                    "not a regular file or directory (device, socket or pipe): not synced"));
        }
    }

    /**
     * Whether the decoded name leads back to the same file: bytes that are not valid in the
     * file-name charset decode to U+FFFD (or cannot be encoded back at all), and then the name as
     * text names another file, or none.
     */
    private static boolean roundTrips(Path child, String name) {
        try {
            return child.getParent().resolve(name).equals(child);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /**
     * When a regular file was last touched, for the temporary-file sweep: the later of mtime and
     * the change time (ctime, or creation time where there is none), because a live write sets
     * its final mtime, which may be years old, on the temporary file just before the rename; the
     * change time cannot be set back. Empty (never swept) when it cannot be read or is no file.
     */
    private static Optional<Instant> lastChange(Path temp) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(temp, LocalFiles.ATTRIBUTES, LocalFiles.NOFOLLOW);
            if (!attrs.isRegularFile()) {
                return Optional.empty();
            }
            Instant changed = attrs.lastModifiedTime().toInstant();
            Instant other;
            try {
                other = ((FileTime) Files.getAttribute(temp, "unix:ctime", LocalFiles.NOFOLLOW)).toInstant();
            } catch (UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
                other = attrs.creationTime().toInstant();
            }
            return Optional.of(other.isAfter(changed) ? other : changed);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Deletes the stale temporary files seen, once their change time confirms what their mtime
     * suggested; best effort, a later listing tries again.
     */
    private void sweep() throws IOException {
        // A user's file taken aside by a write that died: put back, never deleted. Not while a
        // write may be using it (the rename aside set its change time).
        java.time.Duration settle = fs.options.tempMaxAge().compareTo(ASIDE_SETTLE) < 0 ? fs.options.tempMaxAge()
                : ASIDE_SETTLE;
        Instant settled = Instant.now().minus(settle);
        for (String name : temps.asides()) {
            Path aside = dir.resolve(name);
            Optional<Instant> changed = lastChange(aside);
            if (changed.isPresent() && changed.get().isBefore(settled)) {
                // Listed now, where it is again: a run must never take it for deleted.
                Optional<Path> back = publisher.putBack(aside);
                if (back.isPresent()) {
                    emit(back.get());
                }
            }
        }
        for (String name : temps.stale()) {
            Path temp = dir.resolve(name);
            Optional<Instant> changed = lastChange(temp);
            if (changed.isPresent() && changed.get().isBefore(staleBefore)) {
                LocalFiles.deleteQuietly(temp);
            }
        }
    }

    /**
     * Whether a followable link points at this directory or at one enclosing it along the
     * path it was reached by (which, through earlier links, may differ from the real tree):
     * following it would make a recursive walk endless.
     */
    private boolean isLoop(Path link) {
        try {
            Path target = link.toRealPath();
            if (ancestorRealPaths == null) {
                ancestorRealPaths = new ArrayList<>();
                Path p = fs.root;
                ancestorRealPaths.add(p.toRealPath());
                for (String segment : directory.segments()) {
                    p = p.resolve(segment);
                    ancestorRealPaths.add(p.toRealPath());
                }
            }
            for (Path ancestor : ancestorRealPaths) {
                if (ancestor.startsWith(target)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
