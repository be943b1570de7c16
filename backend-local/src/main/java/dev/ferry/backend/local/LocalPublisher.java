package dev.ferry.backend.local;

import dev.ferry.api.Entry;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints.Precondition;
import dev.ferry.backend.support.ConflictNames;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a finished temporary file in place of its final name, honouring the write's
 * {@link Precondition} at the last moment. A local disk has no conditional rename, so a
 * conditional write takes the current file aside (an atomic rename to a temporary name, hidden
 * from listings), compares what it took with the precondition, and only on a match puts the new
 * file in with {@code link(2)}, which never replaces a name that appeared meanwhile. On a
 * mismatch the user's file goes back (or, if the name is taken again, stays beside it under a
 * conflict name) and the new content is dropped. Without a precondition: one atomic rename.
 */
final class LocalPublisher {

    /** The conflict-name id of files this backend keeps out of a write's way (Syncthing's 7 characters). */
    static final String CONFLICT_ID = "FERRYLC";

    private static final Logger LOG = LoggerFactory.getLogger(LocalPublisher.class);

    private final LocalFiles fs;
    private final Runnable afterCompare;
    /** Set once a hard link failed as unsupported here (FAT, some network file systems). */
    private volatile boolean noHardLinks;

    LocalPublisher(LocalFiles fs) {
        this(fs, true, () -> {});
    }

    /**
     * For tests: {@code hardLinks = false} acts as on a file system without them;
     * {@code afterCompare} runs between a successful comparison and the publishing link, where
     * only another process could otherwise act.
     */
    LocalPublisher(LocalFiles fs, boolean hardLinks, Runnable afterCompare) {
        this.fs = fs;
        this.noHardLinks = !hardLinks;
        this.afterCompare = afterCompare;
    }

    /**
     * Makes {@code temp} (in {@code target}'s directory) visible as {@code target}, or fails with
     * {@link PreconditionFailedException} leaving the user's file in place and deleting
     * {@code temp}. IOExceptions come unmapped, except that failure.
     */
    void publish(SyncPath path, Path temp, Path target, Precondition precondition, String action) throws IOException {
        if (precondition.isNone()) {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        if (precondition.mustBeAbsent()) {
            if (!placeIfFree(temp, target, false)) {
                LocalFiles.deleteQuietly(temp);
                throw new PreconditionFailedException("cannot " + action + " " + fs.where(path)
                        + ": a file appeared there while the new content was written; the user's version was kept"
                        + " and the new content dropped");
            }
            return;
        }
        Path aside = target.resolveSibling(TemporaryNames.newAsideName(target.getFileName().toString()));
        try {
            // A fresh random name: nothing is replaced; from here on no writer by name can change it.
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            LocalFiles.deleteQuietly(temp);
            throw new PreconditionFailedException("cannot " + action + " " + fs.where(path)
                    + ": the file it was to replace is gone (deleted or moved since it was listed); the new content"
                    + " was dropped", e);
        }
        Optional<Entry> found;
        try {
            found = fs.entryAt(path, aside, action);
        } catch (IOException e) {
            LocalFiles.deleteQuietly(temp);
            String kept = restore(path, aside, target, true);
            throw new PreconditionFailedException("cannot " + action + " " + fs.where(path)
                    + ": cannot read what is there (" + e.getMessage() + "); the user's version was kept" + kept, e);
        }
        if (!precondition.matches(found)) {
            LocalFiles.deleteQuietly(temp);
            String kept = restore(path, aside, target, found.map(Entry::isDirectory).orElse(false));
            throw new PreconditionFailedException("cannot " + action + " " + fs.where(path)
                    + ": it changed since it was listed (" + expectation(precondition) + " expected, "
                    + describe(found) + " now); the user's version was kept" + kept + " and the new content dropped");
        }
        afterCompare.run();
        boolean placed;
        try {
            placed = placeIfFree(temp, target, false);
        } catch (IOException e) {
            LocalFiles.deleteQuietly(temp);
            restore(path, aside, target, false);
            throw e;
        }
        if (!placed) {
            LocalFiles.deleteQuietly(temp);
            String kept = restore(path, aside, target, false);
            throw new PreconditionFailedException("cannot " + action + " " + fs.where(path)
                    + ": a file appeared there while the old one was being replaced; the user's version was kept,"
                    + " the replaced one" + (kept.isEmpty() ? " put back" : kept) + ", and the new content dropped");
        }
        keepIfChanged(path, aside, target, found, action);
    }

    /**
     * Deletes the file at {@code target} only if it satisfies {@code precondition}, by the same
     * steps as a conditional write: it is taken aside (where no writer by name reaches it),
     * compared, and dropped; on a mismatch, or if it was written through an open handle after the
     * comparison, it goes back (or beside, under a conflict name, if its name was taken again)
     * and {@link PreconditionFailedException} says so. Nothing at {@code target}: nothing to do.
     * If the process dies with the file aside, the next listing puts it back and the delete is
     * planned again. IOExceptions come unmapped, except that failure.
     */
    void deleteIf(SyncPath path, Path target, Precondition precondition) throws IOException {
        Path aside = target.resolveSibling(TemporaryNames.newAsideName(target.getFileName().toString()));
        try {
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return;
        }
        Optional<Entry> found;
        try {
            found = fs.entryAt(path, aside, "delete");
        } catch (IOException e) {
            String kept = restore(path, aside, target, Files.isDirectory(aside, LocalFiles.NOFOLLOW));
            throw new PreconditionFailedException("cannot delete " + fs.where(path) + ": cannot read what is there ("
                    + e.getMessage() + "); left as it is" + kept, e);
        }
        if (!precondition.matches(found)) {
            String kept = restore(path, aside, target, found.map(Entry::isDirectory).orElse(false));
            throw new PreconditionFailedException("cannot delete " + fs.where(path) + ": it changed since it was listed ("
                    + expectation(precondition) + " expected, " + describe(found) + " now); left as it is" + kept);
        }
        afterCompare.run();
        if (!found.equals(fs.entryAt(path, aside, "delete"))) {
            String kept = restore(path, aside, target, false);
            throw new PreconditionFailedException("cannot delete " + fs.where(path)
                    + ": it was written to while it was being deleted; left as it is" + kept);
        }
        Files.delete(aside);
    }

    /**
     * Drops the replaced file, unless it was written through a handle opened before it was taken
     * aside, after it was compared: then it is kept under a conflict name. (The new content is in
     * place already; a failure here is logged, not thrown.)
     */
    private void keepIfChanged(SyncPath path, Path aside, Path target, Optional<Entry> compared, String action) {
        try {
            if (compared.equals(fs.entryAt(path, aside, action))) {
                LocalFiles.deleteQuietly(aside);
                return;
            }
            String name = keepAsConflict(aside, target, false);
            LOG.warn("{} was written to while it was being replaced; that version was kept as '{}'", fs.where(path), name);
        } catch (IOException e) {
            LOG.warn("{} was replaced, but the replaced version could not be checked or kept; it is at {}: {}",
                    fs.where(path), aside, e.getMessage());
        }
    }

    /**
     * Puts the taken-aside file back at {@code target} if that is free, else beside it under a
     * conflict name; returns {@code ""} or {@code " as '<name>'"} for messages. A failure to do
     * either names the hidden file, so nothing is lost silently.
     */
    private String restore(SyncPath path, Path aside, Path target, boolean directory) throws IOException {
        try {
            if (placeIfFree(aside, target, directory)) {
                return "";
            }
            return " as '" + keepAsConflict(aside, target, directory) + "'";
        } catch (IOException e) {
            throw new IOException("cannot put the user's version of " + fs.where(path) + " back: it is at " + aside
                    + " (a later listing of its directory puts it back): "
                    + e.getMessage(), e);
        }
    }

    /**
     * Puts back a file a conditional write took aside and never restored (the process died
     * half-way): at its own name if that is free, else beside it under a conflict name.
     * Returns where it is now, if it could be moved.
     */
    Optional<Path> putBack(Path aside) {
        Path target = aside.resolveSibling(TemporaryNames.asideOriginal(aside.getFileName().toString()));
        boolean directory = Files.isDirectory(aside, LocalFiles.NOFOLLOW);
        try {
            if (placeIfFree(aside, target, directory)) {
                LOG.warn("{} was left aside by an interrupted write; put back", target);
                return Optional.of(target);
            }
            Path kept = target.resolveSibling(keepAsConflict(aside, target, directory));
            LOG.warn("{} was left aside by an interrupted write; its name is taken, kept as {}", target, kept);
            return Optional.of(kept);
        } catch (IOException e) {
            LOG.warn("cannot put back {} (left aside by an interrupted write): {}", aside, e.getMessage());
            return Optional.empty();
        }
    }

    /** Moves {@code file} beside {@code target} under a free conflict name; returns that name. */
    private String keepAsConflict(Path file, Path target, boolean directory) throws IOException {
        while (true) {
            String name = ConflictNames.name(target.getFileName().toString(), Instant.now(), CONFLICT_ID,
                    n -> Files.exists(target.resolveSibling(n), LocalFiles.NOFOLLOW));
            if (placeIfFree(file, target.resolveSibling(name), directory)) {
                return name;
            }
        }
    }

    /**
     * Renames {@code source} to {@code dest} unless {@code dest} exists; false if it does. A hard
     * link then an unlink, because {@code link(2)} fails atomically on an existing name where
     * {@code rename(2)} replaces it. Where hard links are not supported (and for directories),
     * a checked rename: then a file created between the check and the rename is replaced.
     */
    private boolean placeIfFree(Path source, Path dest, boolean directory) throws IOException {
        if (!directory && !noHardLinks) {
            try {
                Files.createLink(dest, source);
                LocalFiles.deleteQuietly(source); // if it stays, it is hidden, and swept as stale
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (NoSuchFileException | AccessDeniedException e) {
                throw e;
            } catch (UnsupportedOperationException | FileSystemException e) {
                noHardLinks = true;
                LOG.info("hard links are not supported in {} ({}): conditional writes check, then rename, leaving"
                        + " a short window in which a file created meanwhile is replaced", fs.root, e.getMessage());
            }
        }
        try {
            Files.move(source, dest); // checks that dest is free, then renames
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    private static String expectation(Precondition p) {
        return p.expected().isPresent() ? describe(p.expected()) : "version " + p.expectedVersion().orElse("?");
    }

    private static String describe(Optional<Entry> e) {
        if (e.isEmpty()) {
            return "nothing";
        }
        Entry x = e.get();
        if (x.isDirectory()) {
            return "a directory";
        }
        return x.size() + " bytes" + x.modTime().map(t -> ", modified " + t).orElse("")
                + x.version().map(v -> ", version " + v).orElse("");
    }
}
