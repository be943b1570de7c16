package dev.ferry.backend.ftp;

import static dev.ferry.backend.ftp.FtpSession.deleteQuietly;
import static dev.ferry.backend.ftp.FtpSession.replyError;

import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.InsufficientStorageException;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.ResumableWriter.PartialWrite;
import dev.ferry.api.SyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.TransientSyncException;
import dev.ferry.api.WriteHints;
import dev.ferry.backend.support.ExactSizeInputStream;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads: a whole file at once ({@link #write}), a resumable one in pieces ({@link #begin},
 * {@link #resume}), and APPE to an existing file ({@link #append}). Content goes to a temporary
 * file in the destination directory; {@link FtpPublisher} puts it in place.
 */
final class FtpUpload {

    private static final Logger LOG = LoggerFactory.getLogger(FtpUpload.class);

    private final FtpSession session;
    private final FtpStat stat;
    private final FtpDirectories dirs;
    private final FeatureProbe probe;
    private final FtpPublisher publisher;
    /**
     * Temporary files a failed write could not delete because the server had gone away: deleted
     * at the next write, so a server that comes back is left clean by the next run instead of
     * holding a visible {@code .partial} until the stale sweep.
     */
    private final java.util.Set<String> orphans = java.util.concurrent.ConcurrentHashMap.newKeySet();

    FtpUpload(FtpSession session, FtpStat stat, FtpDirectories dirs, FeatureProbe probe, FtpPublisher publisher) {
        this.session = session;
        this.stat = stat;
        this.dirs = dirs;
        this.probe = probe;
        this.publisher = publisher;
    }

    /**
     * One upload, all at once: the same pieces as a resumable write (STOR to the temporary name,
     * then {@link FtpPublisher#publish}), on one connection, so a small file costs one data
     * connection and three commands.
     */
    Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        FtpPartialWrite w = newWrite(path, hints);
        ExactSizeInputStream body = new ExactSizeInputStream(content, hints.size(), w.action);
        Capabilities caps = probe.capabilities(); // before borrowing: it may probe on a connection of its own
        return send(w, 0, body, true, c -> {
            // A data connection cut on the way ends the file early without the server knowing
            // (stream mode has no length): what it holds is checked before it gets the final name.
            long held = stat.sizeOn(c, w.temp, w.action).orElse(-1L);
            if (held >= 0 && held != body.count()) {
                throw new TransientSyncException("cannot " + w.action + ": the server holds " + held + " of the "
                        + body.count() + " bytes sent (the connection lost the rest); nothing was published");
            }
            return publisher.publish(c, w, body.count(), caps);
        });
    }

    /**
     * Starts a write that a later process can continue. Nothing is sent yet: the temporary file
     * {@code .ferry-<random>.<name>.partial} appears in the destination directory with the first
     * {@link PartialWrite#append}. The token is {@code <temporary name>/<path>}: no secret, and
     * enough to find both files again.
     */
    PartialWrite begin(SyncPath path, WriteHints hints) throws IOException {
        return newWrite(path, hints);
    }

    private FtpPartialWrite newWrite(SyncPath path, WriteHints hints) throws IOException {
        if (path.isRoot()) {
            throw new PermanentSyncException("cannot write the root of " + session.description() + " as a file");
        }
        return new FtpPartialWrite(this, session, path, TemporaryNames.newName(path.name()), hints);
    }

    /**
     * Finds the temporary file a token names; empty if it is gone (completed, aborted, or swept
     * after {@code tempMaxAge}) or the token is not one of ours.
     */
    Optional<PartialWrite> resume(String token, WriteHints hints) throws IOException {
        Optional<TemporaryNames.ResumeToken> parsed = TemporaryNames.ResumeToken.parse(token);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        FtpPartialWrite w = new FtpPartialWrite(this, session, parsed.get().path(), parsed.get().temporaryName(), hints);
        String action = "resume " + w.action;
        Optional<Long> held = session.withConnection(action, true, c -> stat.sizeOn(c, w.temp, action));
        if (held.isEmpty()) {
            return Optional.empty();
        }
        if (session.features.storeRestart.rest() != ServerFeatures.Tri.YES) {
            // APPE adds at whatever the end is: wait until a killed session's server process has
            // written what it still had, or its last bytes would land after ours.
            long before = held.get();
            for (int i = 0; i < 20; i++) {
                FtpSession.sleep(250);
                long now = session.withConnection(action, true, c -> stat.sizeOn(c, w.temp, action)).orElse(-1L);
                if (now == before) {
                    break;
                }
                before = now;
            }
        }
        return Optional.of(w);
    }

    /** SIZE of a write's temporary file; empty if there is none. */
    Optional<Long> held(FtpPartialWrite w, String action) throws IOException {
        return session.withConnection(action, true, c -> stat.sizeOn(c, w.temp, action));
    }

    /** Checks the size on the server, then publishes: the last step of a resumable write. */
    Entry complete(FtpPartialWrite w) throws IOException {
        Capabilities caps = probe.capabilities(); // before borrowing: it may probe on a connection of its own
        String action = w.action;
        return session.withConnection(action, false, c -> {
            long held = stat.sizeOn(c, w.temp, action).orElseThrow(() -> new PermanentSyncException("cannot " + action
                    + ": its temporary file is gone (swept or deleted); nothing was published"));
            if (w.hints.size() >= 0 && held < w.hints.size()) {
                // A data connection cut on the way looks like a clean end to the server (stream
                // mode has no length): the rest was lost, and another attempt resumes from here.
                throw new TransientSyncException("cannot " + action + ": the server holds " + held + " of the "
                        + w.hints.size() + " bytes announced (the connection lost the rest); nothing was published");
            }
            if (w.hints.size() >= 0 && held != w.hints.size()) {
                throw new PermanentSyncException("cannot " + action + ": the server holds " + held + " bytes, not the "
                        + w.hints.size() + " announced; nothing was published");
            }
            return publisher.publish(c, w, held, caps);
        });
    }

    /** What to do on the same connection once the bytes are stored. */
    @FunctionalInterface
    interface AfterStore {
        Entry run(FtpConnection c) throws IOException;
    }

    /**
     * Sends {@code body} into {@code w}'s temporary file from {@code offset} on (STOR at 0; REST
     * + STOR, or APPE, further on), creating the directory if it is missing, then runs
     * {@code after} on the same connection. A failure before any byte was read from the source
     * (refused at PASV or STOR, a dropped pooled connection) is tried once more on a fresh
     * connection. The temporary file is deleted on failure when {@code dropOnFailure}; a
     * resumable write keeps it for the next attempt.
     */
    Entry send(FtpPartialWrite w, long offset, ExactSizeInputStream body, boolean dropOnFailure, AfterStore after)
            throws IOException {
        String action = w.action;
        ConnectionPool pool = session.pool;
        boolean mkdirsTried = false;
        for (int attempt = 0; ; attempt++) {
            FtpConnection c = pool.borrow();
            boolean stored = false;
            try {
                dropOrphans(c);
                if (offset == 0) {
                    dirs.ensure(c, w.dir, action);
                }
                boolean ok = store(c, w.temp, offset, body);
                if (!ok) {
                    int code = c.client.getReplyCode();
                    dirs.forget(w.dir);
                    if (offset == 0 && !body.started() && !mkdirsTried
                            && (code == 550 || code == 553 || code == 450 || code == 451)) {
                        // Most likely the directory is missing: create it and try once more.
                        mkdirsTried = true;
                        dirs.mkdirs(c, w.dir, action);
                        pool.release(c);
                        continue;
                    }
                    IOException e = replyError(c, action);
                    if (body.started() && dropOnFailure) {
                        deleteQuietly(c, w.temp);
                    }
                    throw e; // the connection is released or discarded below
                }
                stored = true;
                body.checkComplete();
                Entry result = after.run(c);
                pool.release(c);
                return result;
            } catch (IOException | RuntimeException e) {
                IOException failure = e instanceof IOException io ? io : new IOException(e);
                boolean sourceFault = body.causedBy(e);
                if (!sourceFault && !stored && e instanceof IOException && !(e instanceof SyncException)) {
                    // The connection failed mid-transfer: a disk-full server says so on the control channel.
                    failure = diskFullOr(c, (IOException) e, action);
                }
                if (sourceFault && body.failure() instanceof IOException src) {
                    failure = src;
                }
                boolean retry = !body.started() && attempt == 0 && !sourceFault
                        && (failure instanceof SyncException ? failure : FtpErrors.io(failure, action))
                                instanceof TransientSyncException;
                if (c.isBroken() || !(e instanceof SyncException)) {
                    pool.discard(c);
                } else {
                    pool.release(c);
                }
                if (dropOnFailure && (stored || body.started())) {
                    removeTemp(w.temp);
                }
                if (retry) {
                    continue;
                }
                throw failure instanceof SyncException || sourceFault ? failure : FtpErrors.io(failure, action);
            }
        }
    }

    /**
     * STOR at offset 0; further on REST + STOR where the server takes it (it rewrites from the
     * offset, so bytes a killed session's server process was still writing cannot be doubled),
     * else APPE.
     */
    private boolean store(FtpConnection c, String temp, long offset, InputStream body) throws IOException {
        OutputStream out;
        if (offset == 0) {
            out = c.client.storeFileStream(temp);
        } else if (session.features.storeRestart.rest() == ServerFeatures.Tri.YES) {
            c.client.setRestartOffset(offset);
            try {
                out = c.client.storeFileStream(temp);
            } finally {
                c.client.setRestartOffset(0);
            }
        } else {
            out = c.client.appendFileStream(temp);
        }
        return out != null && upload(c, out, body);
    }

    /**
     * Copies {@code body} into an upload's data stream with {@linkplain FtpConnection#keepAlive
     * keep-alive NOOPs} on the control connection, and reads the server's verdict. On any
     * failure the connection is marked broken: its replies are out of step.
     */
    private boolean upload(FtpConnection c, OutputStream out, InputStream body) throws IOException {
        c.beginTransfer();
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream data = out) {
            int n;
            while ((n = body.read(buffer)) >= 0) {
                data.write(buffer, 0, n);
                c.keepAlive(session.options.keepAlive());
            }
        } catch (IOException | RuntimeException e) {
            c.markBroken();
            throw e;
        }
        return c.completeTransfer();
    }

    /** After a transfer broke: the server's reply if it is 452/552 (disk full), else the original failure. */
    private IOException diskFullOr(FtpConnection c, IOException e, String action) {
        try {
            if (c.client.isConnected()) {
                c.client.setSoTimeout(2000);
                // The transfer's reply may follow answers to keep-alive NOOPs.
                for (int i = 0; i <= c.pendingNoops(); i++) {
                    int code = c.client.getReply();
                    if (code == 452 || code == 552) {
                        return new InsufficientStorageException("cannot " + action + ": server replied "
                                + c.client.getReplyString().trim() + " (no space left on the server)", e);
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // no reply: the original failure stands
        }
        c.markBroken();
        return e;
    }

    /**
     * Deletes a temporary file on a connection of its own; one that cannot be deleted now (the
     * server is gone) is deleted by the next write ({@link #dropOrphans}).
     */
    void removeTemp(String temp) {
        try {
            session.withConnection("delete a temporary file", true, c -> {
                c.client.deleteFile(temp);
                return null;
            });
        } catch (IOException e) {
            orphans.add(temp);
            LOG.debug("cannot delete {} (the next write tries again): {}", temp, e.getMessage());
        }
    }

    /** Deletes what {@link #removeTemp} could not; a file already gone (550) counts as deleted. */
    private void dropOrphans(FtpConnection c) throws IOException {
        for (String temp : orphans) {
            c.client.deleteFile(temp);
            int code = c.client.getReplyCode();
            if (code / 100 == 2 || code == 550) {
                orphans.remove(temp);
            }
        }
    }

    /** How many temporary files wait for {@link #dropOrphans}, for tests. */
    int orphans() {
        return orphans.size();
    }

    /** APPE to an existing file of {@code expectedSize} bytes. */
    Entry append(SyncPath path, long expectedSize, InputStream content) throws IOException {
        String p = session.abs(path);
        String action = "append to " + session.where(path);
        Optional<Entry> now = stat.stat(path);
        if (now.isEmpty() || !now.get().isFile()) {
            throw new NotFoundException("cannot " + action + ": no such file");
        }
        if (now.get().size() != expectedSize) {
            throw new PreconditionFailedException("cannot " + action + ": it is " + now.get().size()
                    + " bytes, not the " + expectedSize + " expected");
        }
        ExactSizeInputStream body = new ExactSizeInputStream(content, -1, action);
        ConnectionPool pool = session.pool;
        FtpConnection c = pool.borrow();
        try {
            OutputStream out = c.client.appendFileStream(p);
            if (out == null || !upload(c, out, body)) {
                IOException e = replyError(c, action);
                pool.release(c);
                throw e;
            }
            pool.release(c);
        } catch (SyncException e) {
            throw e; // released above
        } catch (IOException e) {
            pool.discard(c);
            throw body.failure() == e ? e : FtpErrors.io(e, action);
        }
        return Entry.file(path, expectedSize + body.count()).modTimePrecision(probe.capabilities().modTimePrecision()).build();
    }
}
