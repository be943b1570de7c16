package dev.ferry.backend.ftp;

import dev.ferry.api.Appender;
import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.Hasher;
import dev.ferry.api.ListingSink;
import dev.ferry.api.ModTimeSetter;
import dev.ferry.api.PosixModes;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.ServerSideMove;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A directory on an FTP or FTPS server.
 *
 * <p>Uploads go to {@code .ferry-<random>.<name>.partial} in the destination directory, get their
 * modification time there, and are renamed into place (RNFR/RNTO), so a reader sees the old file
 * or the new one; a write with a precondition takes the current file aside and compares it first
 * ({@link FtpPublisher}). Temporary names are never listed; stale ones are deleted when their
 * directory is listed. Listings use MLSD where FEAT offers it (times to the second, always UTC),
 * else LIST in Unix or Windows format in the configured server time zone (times to the minute;
 * entries old enough to show only a date get their time by MDTM). Modification times are set
 * with MFMT, or with two-argument MDTM (vsftpd) where a probe shows it works; otherwise the
 * capabilities say times are not kept. Hashes come from the server (HASH, XMD5, XSHA1, XSHA256,
 * XCRC, MD5) only where FEAT advertises them.
 *
 * <p>Large uploads can be continued by a later process ({@link ResumableWriter}): the temporary
 * file stays on the server between attempts, SIZE says how much it holds, and REST + STOR (or
 * APPE) adds the rest; offered only where a one-time probe shows the server takes them. During
 * every transfer NOOPs keep the control connection alive ({@code keepAlive}).
 *
 * <p>Every operation borrows one control connection from a bounded pool. Thread-safe. This class
 * only routes: each concern lives in a package-private part (probe, listing, stat, download,
 * upload, publish, directories, times and hashes).
 */
public final class FtpTarget implements SyncTarget, ServerSideMove, Appender, ModTimeSetter, Hasher, ResumableWriter,
        PosixModes {

    private final FtpSession session;
    private final FeatureProbe probe;
    private final FtpListing listing;
    private final FtpStat stat;
    private final FtpDownload download;
    private final FtpUpload upload;
    private final FtpDirectories dirs;
    private final FtpTimesAndHashes times;

    private FtpTarget(FtpOptions options, ConnectionPool pool, String base, boolean caseSensitive) {
        this.session = new FtpSession(options, pool, base);
        this.stat = new FtpStat(session);
        this.dirs = new FtpDirectories(session, stat);
        this.probe = new FeatureProbe(session, stat, dirs, caseSensitive);
        this.times = new FtpTimesAndHashes(session, stat, probe);
        this.listing = new FtpListing(session, stat);
        this.download = new FtpDownload(session);
        this.upload = new FtpUpload(session, stat, dirs, probe, new FtpPublisher(session, stat, times));
    }

    /** Connects once (to fail early on a wrong host or credentials) and resolves the root. */
    static FtpTarget open(FtpOptions options) throws IOException {
        Tls.Contexts tls = null;
        if (options.tls() != FtpOptions.Tls.NONE) {
            try {
                tls = new Tls.Contexts(options);
            } catch (GeneralSecurityException e) {
                throw new PermanentSyncException("cannot set up TLS for " + options.description() + ": " + e.getMessage(), e);
            }
        }
        ConnectionPool pool = new ConnectionPool(options, tls, new ServerFeatures());
        FtpConnection c = pool.borrow();
        try {
            String root = options.rootPath();
            if (root.isEmpty()) {
                String pwd = c.client.printWorkingDirectory();
                root = pwd == null ? "" : pwd;
            }
            while (root.endsWith("/")) {
                root = root.substring(0, root.length() - 1);
            }
            if (!root.isEmpty() && !root.startsWith("/")) {
                root = "/" + root;
            }
            String syst = null;
            try {
                syst = c.client.getSystemType();
            } catch (IOException e) {
                if (c.client.isConnected()) {
                    syst = null; // SYST refused: nothing learnt
                } else {
                    throw e;
                }
            }
            boolean windows = syst != null && syst.toUpperCase(Locale.ROOT).contains("WINDOWS");
            pool.release(c);
            return new FtpTarget(options, pool, root, !windows);
        } catch (IOException e) {
            pool.discard(c);
            pool.close();
            throw FtpErrors.io(e, "open " + options.description());
        } catch (RuntimeException e) {
            pool.discard(c);
            pool.close();
            throw e;
        }
    }

    @Override
    public String description() {
        return session.description();
    }

    @Override
    public String toString() {
        return description();
    }

    /**
     * Times kept when MFMT is offered, or when two-argument MDTM works (probed once with a
     * temporary file in the root); 1 s with MLSD, 1 min with LIST. Hashes: what FEAT advertises.
     */
    @Override
    public Capabilities capabilities() {
        return probe.capabilities();
    }

    @Override
    public <T> Optional<T> ability(Class<T> type) {
        if (type == Hasher.class && !probe.hashes()) {
            return Optional.empty();
        }
        if (type == ModTimeSetter.class && !capabilities().keepsModTime()) {
            return Optional.empty();
        }
        if (type == ResumableWriter.class && !probe.resumable()) {
            return Optional.empty();
        }
        if (type == Appender.class && !probe.appends()) {
            return Optional.empty();
        }
        if (type == PosixModes.class && !probe.keepsModes()) {
            return Optional.empty();
        }
        return SyncTarget.super.ability(type);
    }

    @Override
    public void list(SyncPath directory, ListingSink sink) throws IOException {
        listing.list(directory, sink);
    }

    @Override
    public Optional<Entry> stat(SyncPath path) throws IOException {
        return stat.stat(path);
    }

    /** Opens for reading at {@code offset} (REST); an offset at or past the end gives an empty stream. */
    @Override
    public InputStream open(SyncPath path, long offset) throws IOException {
        return download.open(path, offset);
    }

    @Override
    public Optional<String> hash(SyncPath path, HashAlgorithm algorithm) throws IOException {
        return times.hash(path, algorithm);
    }

    /**
     * STOR to the temporary name, the time set on it, then RNFR/RNTO, on one connection; a
     * precondition is checked by taking the current file aside just before the rename.
     */
    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        return upload.write(path, content, hints);
    }

    /**
     * Starts a write that a later process can continue: nothing is sent until the first append.
     * The token is {@code <temporary name>/<path>}.
     */
    @Override
    public PartialWrite begin(SyncPath path, WriteHints hints) throws IOException {
        return upload.begin(path, hints);
    }

    /** The write a token names; empty if its temporary file is gone or the token is not ours. */
    @Override
    public Optional<PartialWrite> resume(String token, WriteHints hints) throws IOException {
        return upload.resume(token, hints);
    }

    @Override
    public void delete(SyncPath path) throws IOException {
        dirs.delete(path);
    }

    @Override
    public void makeDirectories(SyncPath directory) throws IOException {
        dirs.makeDirectories(directory);
    }

    /** Listings show modes: MLSD's unix.mode, or LIST's permission letters (the probe checked they are real). */
    @Override
    public boolean listsModes() {
        return true;
    }

    @Override
    public boolean keepsDirectoryModes() {
        return true;
    }

    /** SITE CHMOD on the directory. */
    @Override
    public void setDirectoryMode(SyncPath directory, int mode) throws IOException {
        String p = session.abs(directory);
        String action = "set the mode of " + session.where(directory);
        session.withConnection(action, true, c -> {
            if (!FeatureProbe.chmod(c, p, mode)) {
                throw FtpSession.replyError(c, action);
            }
            return null;
        });
    }

    @Override
    public Entry move(SyncPath from, SyncPath to) throws IOException {
        return dirs.move(from, to);
    }

    @Override
    public Entry append(SyncPath path, long expectedSize, InputStream content) throws IOException {
        return upload.append(path, expectedSize, content);
    }

    @Override
    public Entry setModTime(SyncPath path, Instant modTime) throws IOException {
        return times.setModTime(path, modTime);
    }

    /** The options this target was opened with (for tests and diagnostics; no password in toString). */
    FtpOptions options() {
        return session.options;
    }

    /** Closes every pooled connection; streams still open keep theirs until closed. */
    @Override
    public void close() {
        session.pool.close();
    }

    /** The write parts, for tests. */
    FtpUpload uploads() {
        return upload;
    }

    /** Server facts, for tests. */
    Map<HashAlgorithm, String> hashCommands() {
        return session.features.hashCommands();
    }
}
