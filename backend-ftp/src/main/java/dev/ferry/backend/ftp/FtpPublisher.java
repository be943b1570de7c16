package dev.ferry.backend.ftp;

import static dev.ferry.backend.ftp.FtpSession.child;
import static dev.ferry.backend.ftp.FtpSession.deleteQuietly;
import static dev.ferry.backend.ftp.FtpSession.replyError;

import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.WriteHints.Precondition;
import dev.ferry.backend.support.ConflictNames;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of every upload: the modification time on the temporary file (so no reader sees
 * the new content with a wrong time), then RNFR/RNTO onto the final name, honouring the write's
 * precondition.
 *
 * <p>FTP has no conditional rename, so a condition is checked by taking the current file aside:
 * RNFR path / RNTO an aside temporary name, stat what was taken aside (the way {@code stat()}
 * does, so it agrees with the listing), and only if it is what the plan saw, RNFR temp / RNTO
 * path and DELE the aside file. Otherwise the user's file goes back (or, if the path is taken
 * again, to a conflict name), the new content is deleted, and the write fails with
 * {@link PreconditionFailedException}. What remains: both servers here rename over an existing
 * file without asking, so a file created at the path between the last stat and the final RNTO
 * (one round trip) is replaced; and a writer that already holds the file open (a STOR or APPE
 * under way on the server) keeps writing into the aside file, whose stat then sees its state at
 * that moment.
 */
final class FtpPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(FtpPublisher.class);
    /** The side id in the conflict names of files kept by a failed conditional write. */
    static final String CONFLICT_ID = "FERRYFT";

    private final FtpSession session;
    private final FtpStat stat;
    private final FtpTimesAndHashes times;

    FtpPublisher(FtpSession session, FtpStat stat, FtpTimesAndHashes times) {
        this.session = session;
        this.stat = stat;
        this.times = times;
    }

    /** Sets the time on {@code w}'s temporary file and puts it at its path, as its precondition allows. */
    Entry publish(FtpConnection c, FtpPartialWrite w, long size, Capabilities caps) throws IOException {
        Optional<Instant> modTime = w.hints.modTime().map(t -> t.truncatedTo(ChronoUnit.SECONDS));
        boolean setTime = modTime.isPresent() && caps.keepsModTime();
        if (setTime) {
            times.setTimeOn(c, w.temp, modTime.get(), w.action);
        }
        boolean setMode = w.hints.mode().isPresent() && session.features.chmod == ServerFeatures.Tri.YES;
        if (setMode && !FeatureProbe.chmod(c, w.temp, w.hints.mode().getAsInt())) {
            throw replyError(c, w.action + ": SITE CHMOD");
        }
        Precondition pre = w.hints.precondition();
        if (pre.isNone()) {
            renameOver(c, w.temp, w.target, w.action);
        } else if (pre.mustBeAbsent()) {
            placeIfAbsent(c, w);
        } else {
            replaceIfUnchanged(c, w, pre);
        }
        Entry.Builder b = Entry.file(w.path, size).modTimePrecision(caps.modTimePrecision());
        if (setTime) {
            b.modTime(modTime.get());
        }
        if (setMode) {
            b.mode(w.hints.mode().getAsInt());
        }
        return b.build();
    }

    /** RNFR/RNTO; where the server refuses to rename over an existing file, it is deleted first. */
    private static void renameOver(FtpConnection c, String from, String to, String action) throws IOException {
        if (c.client.rename(from, to)) {
            return;
        }
        int code = c.client.getReplyCode();
        if (code == 421 || code < 500) {
            IOException e = replyError(c, action);
            deleteQuietly(c, from);
            throw e;
        }
        if (c.client.deleteFile(to) && c.client.rename(from, to)) {
            return;
        }
        IOException e = replyError(c, action);
        deleteQuietly(c, from);
        throw e;
    }

    /** Create only: whatever appeared at the path since the plan stays, the new content is dropped. */
    private void placeIfAbsent(FtpConnection c, FtpPartialWrite w) throws IOException {
        Optional<Entry> there = stat.statOn(c, w.path, w.target, w.action);
        if (there.isPresent()) {
            deleteQuietly(c, w.temp);
            throw appeared(w, there.get(), "");
        }
        place(c, w);
    }

    /**
     * RNFR temp / RNTO path, never deleting what is at the path: a refusal because something
     * took the path fails as a precondition, any other one as the server said.
     */
    private void place(FtpConnection c, FtpPartialWrite w) throws IOException {
        if (c.client.rename(w.temp, w.target)) {
            return;
        }
        IOException refusal = replyError(c, w.action);
        if (!c.isBroken()) {
            Optional<Entry> there = stat.statOn(c, w.path, w.target, w.action);
            if (there.isPresent()) {
                deleteQuietly(c, w.temp);
                throw appeared(w, there.get(), "");
            }
        }
        deleteQuietly(c, w.temp);
        throw refusal;
    }

    /** Replace only the file the plan saw: take it aside, compare, then put the new one in. */
    private void replaceIfUnchanged(FtpConnection c, FtpPartialWrite w, Precondition pre) throws IOException {
        String asideName = asideName(w.path.name());
        String aside = child(w.dir, asideName);
        boolean placed = false;
        try {
            if (!c.client.rename(w.target, aside)) {
                int code = c.client.getReplyCode();
                IOException refusal = replyError(c, w.action + " (taking the current file aside)");
                if (code == 421 || code < 500) {
                    throw refusal; // nothing moved
                }
                Optional<Entry> now = stat.statOn(c, w.path, w.target, w.action);
                if (!pre.matches(now)) {
                    deleteQuietly(c, w.temp);
                    throw changed(w, pre, now, Optional.empty());
                }
                throw refusal;
            }
            Optional<Entry> now = stat.statOn(c, w.path, aside, asideName, w.action);
            if (!pre.matches(now)) {
                Optional<String> keptAs = putBack(c, w, aside);
                deleteQuietly(c, w.temp);
                throw changed(w, pre, now, keptAs);
            }
            // vsftpd renames over an existing file: refuse if the path was taken again.
            Optional<Entry> there = stat.statOn(c, w.path, w.target, w.action);
            if (there.isEmpty() && !c.client.rename(w.temp, w.target)) {
                IOException refusal = replyError(c, w.action);
                // Apache FtpServer refuses RNTO onto a file: one that took the path just now.
                there = c.isBroken() ? Optional.empty() : stat.statOn(c, w.path, w.target, w.action);
                if (there.isEmpty()) {
                    throw refusal;
                }
            }
            if (there.isPresent()) {
                String keptAs = keepAsConflict(c, w, aside);
                deleteQuietly(c, w.temp);
                throw appeared(w, there.get(), "; the version the plan saw is kept as '" + keptAs + "'");
            }
            placed = true;
            dropAside(c, w, aside);
        } catch (PreconditionFailedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (!placed) {
                recover(c, w, aside, asideName, e);
            }
            throw e;
        }
    }

    /**
     * Deletes the file taken aside once the new one is in place (it is the version the plan saw),
     * on a fresh connection if this one fails; the write has succeeded either way.
     */
    private void dropAside(FtpConnection c, FtpPartialWrite w, String aside) {
        try {
            if (c.client.deleteFile(aside)) {
                return;
            }
        } catch (IOException e) {
            c.markBroken();
        }
        String why;
        try {
            boolean gone = session.withConnection("delete " + aside, true, fresh -> fresh.client.deleteFile(aside)
                    || fresh.client.getReplyCode() == 550);
            if (gone) {
                return;
            }
            why = "DELE refused";
        } catch (IOException e) {
            why = e.getMessage();
        }
        LOG.warn("{}: the replaced version is left at {} (hidden from listings, never swept): {}", w.action, aside, why);
    }

    /** A name to take a file aside under: hidden from listings, never swept (see TemporaryNames). */
    static String asideName(String finalName) {
        return TemporaryNames.newAsideName(finalName);
    }

    /**
     * Puts a file taken aside back at its path if the path is free, else keeps it under a
     * conflict name; returns that name, or empty if it is back at its path.
     */
    private Optional<String> putBack(FtpConnection c, FtpPartialWrite w, String aside) throws IOException {
        if (stat.statOn(c, w.path, w.target, w.action).isEmpty()) {
            if (c.client.rename(aside, w.target)) {
                return Optional.empty();
            }
            if (c.isBroken() || c.client.getReplyCode() == 421) {
                throw replyError(c, w.action + " (putting the current file back)");
            }
        }
        return Optional.of(keepAsConflict(c, w, aside));
    }

    /** Renames a file taken aside to a free conflict name beside its path. */
    private String keepAsConflict(FtpConnection c, FtpPartialWrite w, String aside) throws IOException {
        String name;
        try {
            name = ConflictNames.name(w.path.name(), Instant.now(), CONFLICT_ID, n -> {
                try {
                    return stat.statOn(c, w.path, child(w.dir, n), n, w.action).isPresent();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (!c.client.rename(aside, child(w.dir, name))) {
            throw replyError(c, w.action + " (keeping the current file as '" + name + "')");
        }
        return name;
    }

    /**
     * After a failure between taking the file aside and putting the new one in: the file goes
     * back (or to a conflict name), on this connection if it still works, else on a fresh one.
     */
    private void recover(FtpConnection c, FtpPartialWrite w, String aside, String asideName, Exception cause) {
        if (!c.isBroken()) {
            try {
                restore(c, w, aside, asideName);
                return;
            } catch (IOException | RuntimeException e) {
                c.markBroken(); // its replies may be out of step now
            }
        }
        try {
            session.withConnection(w.action + " (putting the current file back)", false, fresh -> {
                restore(fresh, w, aside, asideName);
                return null;
            });
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} failed after taking the current file aside; it could not be put back and is at {} "
                    + "(hidden from listings, never swept): {}", w.action, aside, e.getMessage());
            cause.addSuppressed(e);
        }
    }

    private void restore(FtpConnection c, FtpPartialWrite w, String aside, String asideName) throws IOException {
        if (stat.statOn(c, w.path, aside, asideName, w.action).isEmpty()) {
            return; // never taken aside, or already back
        }
        putBack(c, w, aside).ifPresent(name ->
                LOG.warn("{} failed; the file that was at the path is kept as '{}' (the path was taken meanwhile)",
                        w.action, name));
    }

    private static PreconditionFailedException changed(FtpPartialWrite w, Precondition pre, Optional<Entry> now,
            Optional<String> keptAs) {
        String saw = pre.expected().map(FtpPublisher::describe).orElse("version " + pre.expectedVersion().orElse("?"));
        if (now.isEmpty()) {
            return new PreconditionFailedException("cannot " + w.action + ": the file the plan saw (" + saw
                    + ") was deleted meanwhile; nothing was written");
        }
        String kept = keptAs.map(n -> "kept as '" + n + "' (another file took the path meanwhile, also kept)")
                .orElse("kept at the path");
        return new PreconditionFailedException("cannot " + w.action + ": it changed since the plan (the plan saw "
                + saw + ", now " + describe(now.get()) + "); the user's version was " + kept
                + " and the new content dropped");
    }

    private static PreconditionFailedException appeared(FtpPartialWrite w, Entry there, String more) {
        return new PreconditionFailedException("cannot " + w.action + ": " + describe(there)
                + " appeared at the path meanwhile; the user's version was kept and the new content dropped" + more);
    }

    private static String describe(Entry e) {
        if (e.isDirectory()) {
            return "a directory";
        }
        return e.size() + " bytes" + e.modTime().map(t -> ", modified " + t).orElse("");
    }
}
