package dev.ferry.backend.sftp;

import dev.ferry.api.Entry;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints.Precondition;
import dev.ferry.backend.support.ConflictNames;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.apache.sshd.sftp.client.SftpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of every upload: the modification time and POSIX mode on the temporary file (so
 * no reader sees the new content with a wrong time or mode), then the rename into place, as the write's precondition
 * allows.
 *
 * <p>Two renames are used. posix-rename@openssh.com replaces a file atomically (an unconditional
 * write). The plain SFTP v3 RENAME never replaces anything (OpenSSH links the new name and fails
 * if it exists), which makes "create only" atomic, and makes "replace only the file the plan saw"
 * safe with a take-aside: the current file is renamed to a hidden aside name, compared with what
 * the plan saw, and only then is the new one renamed in with the no-replace rename; on a mismatch
 * the user's file goes back (or, if the path was taken meanwhile, to a conflict name) and the
 * write fails with {@link PreconditionFailedException}. What remains: a writer that holds the
 * file open keeps writing into the aside file, and its stat shows the state at that moment.
 * A two-way run's delete takes the same steps ({@link #deleteIf}).
 */
final class SftpPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(SftpPublisher.class);

    private final Remote remote;

    /** One path on the server, as a write or delete names it: absolute, its directory, and the action for messages. */
    record Place(SyncPath path, String dir, String target, String action) {}

    SftpPublisher(Remote remote) {
        this.remote = remote;
    }

    /**
     * Deletes the file at {@code path} only if it satisfies {@code pre}, with the write's
     * take-aside: renamed to a hidden aside name (no writer by name reaches it there), compared,
     * then removed; on a mismatch it goes back (or to a conflict name, if the path was taken
     * meanwhile). A file saved under the name meanwhile is a new file and is never reached.
     * Nothing there: nothing to do. If the process dies with the file aside, the next listing
     * puts it back and the delete is planned again.
     */
    void deleteIf(SftpClient sftp, SyncPath path, Precondition pre) throws IOException {
        Place p = new Place(path, remote.parentOf(path), remote.abs(path), "delete " + remote.where(path));
        String aside = Remote.child(p.dir(), TemporaryNames.newAsideName(path.name()));
        try {
            sftp.rename(p.target(), aside);
        } catch (IOException e) {
            Optional<Entry> now = stat(sftp, p, p.target());
            if (now.isEmpty()) {
                return;
            }
            if (!pre.matches(now)) {
                throw notDeleted(p, pre, now, Optional.empty());
            }
            throw e;
        }
        Optional<Entry> seen;
        try {
            seen = stat(sftp, p, aside);
        } catch (IOException e) {
            putBack(sftp, p, aside);
            throw e;
        }
        if (!pre.matches(seen)) {
            throw notDeleted(p, pre, seen, putBack(sftp, p, aside));
        }
        try {
            sftp.remove(aside);
        } catch (IOException e) {
            putBack(sftp, p, aside);
            throw e;
        }
    }

    Entry publish(SftpClient sftp, SftpWrites.Upload w, long size) throws IOException {
        Optional<Instant> modTime = w.hints.modTime().map(t -> t.truncatedTo(ChronoUnit.SECONDS));
        // Mode and time go on the temporary file, so the published file has them from its first moment.
        Optional<org.apache.sshd.sftp.client.SftpClient.Attributes> finish = Remote.finish(modTime, w.hints.mode());
        if (finish.isPresent()) {
            sftp.setStat(w.temp, finish.get());
        }
        Precondition pre = w.hints.precondition();
        if (pre.isNone()) {
            remote.renameOver(sftp, w.temp, w.target);
        } else if (pre.mustBeAbsent()) {
            placeIfAbsent(sftp, w);
        } else {
            replaceIfUnchanged(sftp, w, pre);
        }
        Entry.Builder b = Entry.file(w.path, size).modTime(modTime.orElse(null)).modTimePrecision(Remote.SECOND);
        w.hints.mode().ifPresent(m -> b.mode(m & Remote.MODE_BITS));
        return b.build();
    }

    /** The no-replace rename: whatever took the path since the plan stays, the new content goes. */
    private void placeIfAbsent(SftpClient sftp, SftpWrites.Upload w) throws IOException {
        try {
            sftp.rename(w.temp, w.target);
        } catch (IOException e) {
            Optional<Entry> there = stat(sftp, w.place(), w.target);
            if (there.isEmpty()) {
                throw e;
            }
            Remote.removeQuietly(sftp, w.temp);
            throw appeared(w, there.get(), "");
        }
    }

    private void replaceIfUnchanged(SftpClient sftp, SftpWrites.Upload w, Precondition pre) throws IOException {
        String aside = Remote.child(w.dir, TemporaryNames.newAsideName(w.path.name()));
        try {
            sftp.rename(w.target, aside);
        } catch (IOException e) {
            Optional<Entry> now = stat(sftp, w.place(), w.target);
            if (now.isEmpty() || !pre.matches(now)) {
                Remote.removeQuietly(sftp, w.temp);
                throw changed(w, pre, now, Optional.empty());
            }
            throw e;
        }
        boolean placed = false;
        try {
            Optional<Entry> seen = stat(sftp, w.place(), aside);
            if (!pre.matches(seen)) {
                Optional<String> keptAs = putBack(sftp, w.place(), aside);
                Remote.removeQuietly(sftp, w.temp);
                throw changed(w, pre, seen, keptAs);
            }
            try {
                sftp.rename(w.temp, w.target);
            } catch (IOException e) {
                Optional<Entry> there = stat(sftp, w.place(), w.target);
                if (there.isEmpty()) {
                    throw e;
                }
                String keptAs = keepAsConflict(sftp, w.place(), aside);
                Remote.removeQuietly(sftp, w.temp);
                placed = true; // nothing left to put back: both versions are kept
                throw appeared(w, there.get(), "; the version the plan saw is kept as '" + keptAs + "'");
            }
            placed = true;
            try {
                sftp.remove(aside);
            } catch (IOException e) {
                LOG.warn("{}: the replaced version is left at {} (hidden from listings, put back by the next listing): {}",
                        w.action, aside, e.getMessage());
            }
        } finally {
            if (!placed) {
                restore(sftp, w, aside);
            }
        }
    }

    /** After a failure between taking the file aside and putting the new one in: the user's file goes back. */
    private void restore(SftpClient sftp, SftpWrites.Upload w, String aside) {
        try {
            if (Remote.lstat(sftp, aside).isPresent()) {
                putBack(sftp, w.place(), aside).ifPresent(n -> LOG.warn("{} failed; the file that was at the path is kept as '{}'",
                        w.action, n));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} failed after taking the current file aside; it is at {} (hidden; the next listing puts it back): {}",
                    w.action, aside, e.getMessage());
        }
    }

    /** Back at its path with the no-replace rename; else under a conflict name. Returns that name, if used. */
    private Optional<String> putBack(SftpClient sftp, Place w, String aside) throws IOException {
        try {
            sftp.rename(aside, w.target());
            return Optional.empty();
        } catch (IOException e) {
            if (Remote.lstat(sftp, w.target()).isEmpty()) {
                throw e;
            }
        }
        return Optional.of(keepAsConflict(sftp, w, aside));
    }

    private String keepAsConflict(SftpClient sftp, Place w, String aside) throws IOException {
        String name;
        try {
            name = ConflictNames.name(w.path().name(), Instant.now(), SftpListing.CONFLICT_ID, n -> {
                try {
                    return Remote.lstat(sftp, Remote.child(w.dir(), n)).isPresent();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        sftp.rename(aside, Remote.child(w.dir(), name));
        return name;
    }

    private static Optional<Entry> stat(SftpClient sftp, Place w, String abs) throws IOException {
        Optional<org.apache.sshd.sftp.client.SftpClient.Attributes> a = Remote.lstat(sftp, abs);
        return a.flatMap(x -> Remote.entry(w.path(), x));
    }

    private static PreconditionFailedException changed(SftpWrites.Upload w, Precondition pre, Optional<Entry> now,
            Optional<String> keptAs) {
        String saw = pre.expected().map(SftpPublisher::describe).orElse("version " + pre.expectedVersion().orElse("?"));
        if (now.isEmpty()) {
            return new PreconditionFailedException("cannot " + w.action + ": the file the plan saw (" + saw
                    + ") was deleted meanwhile; nothing was written");
        }
        String kept = keptAs.map(n -> "kept as '" + n + "' (another file took the path meanwhile, also kept)")
                .orElse("kept at the path");
        return new PreconditionFailedException("cannot " + w.action + ": it changed since the plan (the plan saw " + saw
                + ", now " + describe(now.get()) + "); the user's version was " + kept + " and the new content dropped");
    }

    private static PreconditionFailedException notDeleted(Place p, Precondition pre, Optional<Entry> now,
            Optional<String> keptAs) {
        String saw = pre.expected().map(SftpPublisher::describe).orElse("version " + pre.expectedVersion().orElse("?"));
        return new PreconditionFailedException("cannot " + p.action() + ": it changed since it was listed (listed "
                + saw + ", now " + now.map(SftpPublisher::describe).orElse("unreadable") + "); left as it is"
                + keptAs.map(n -> ", as '" + n + "' (another file took the path meanwhile, also kept)").orElse(""));
    }

    private static PreconditionFailedException appeared(SftpWrites.Upload w, Entry there, String more) {
        return new PreconditionFailedException("cannot " + w.action + ": " + describe(there)
                + " appeared at the path meanwhile; the user's version was kept and the new content dropped" + more);
    }

    private static String describe(Entry e) {
        return e.isDirectory() ? "a directory" : e.size() + " bytes" + e.modTime().map(t -> ", modified " + t).orElse("");
    }
}
