package dev.ferry.backend.ftp;

import dev.ferry.api.Appender;
import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.Hasher;
import dev.ferry.api.InsufficientStorageException;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.ModTimeSetter;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.ServerSideMove;
import dev.ferry.api.SyncException;
import dev.ferry.backend.support.Probed;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.backend.support.TemporaryNames;
import dev.ferry.api.TransientSyncException;
import dev.ferry.api.WriteHints;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPListParseEngine;
import org.apache.commons.net.ftp.FTPReply;

/**
 * A directory on an FTP or FTPS server.
 *
 * <p>Uploads go to {@code .ferry-<random>.<name>.partial} in the destination directory, get their
 * modification time there, and are renamed into place (RNFR/RNTO), so a reader sees the old file
 * or the new one. Temporary names are never listed; stale ones are deleted when their directory
 * is listed. Listings use MLSD where FEAT offers it (times to the second, always UTC), else LIST
 * in Unix or Windows format in the configured server time zone (times to the minute; entries old
 * enough to show only a date get their time by MDTM). Modification times are set with MFMT, or
 * with two-argument MDTM (vsftpd) where a probe shows it works; otherwise the capabilities say
 * times are not kept. Hashes come from the server (HASH, XMD5, XSHA1, XSHA256, XCRC, MD5) only
 * where FEAT advertises them.
 *
 * <p>Large uploads can be continued by a later process ({@link ResumableWriter}): the temporary
 * file stays on the server between attempts, SIZE says how much it holds, and REST + STOR (or
 * APPE) adds the rest; offered only where a one-time probe shows the server takes them. During
 * every transfer NOOPs keep the control connection alive ({@code keepAlive}).
 *
 * <p>Every operation borrows one control connection from a bounded pool. Thread-safe.
 */
public final class FtpTarget implements SyncTarget, ServerSideMove, Appender, ModTimeSetter, Hasher, ResumableWriter {

    private static final System.Logger LOG = System.getLogger(FtpTarget.class.getName());
    private static final DateTimeFormatter FTP_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final FtpOptions options;
    private final ConnectionPool pool;
    private final ServerFeatures features;
    /** The root's absolute path on the server; empty for "/". */
    private final String base;
    private final boolean caseSensitive;
    private final Object probeLock = new Object();
    private final Probed<Capabilities> capabilities = new Probed<>(this::measureCapabilities);
    /** Directories known to exist (absolute), so an upload does not ask again; forgotten on delete. */
    private final java.util.Set<String> knownDirs = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private FtpTarget(FtpOptions options, ConnectionPool pool, String base, boolean caseSensitive) {
        this.options = options;
        this.pool = pool;
        this.features = pool.features;
        this.base = base;
        this.caseSensitive = caseSensitive;
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
        return options.description();
    }

    @Override
    public String toString() {
        return description();
    }

    // ---------------------------------------------------------------- capabilities

    /**
     * Times kept when MFMT is offered, or when two-argument MDTM works (probed once with a
     * temporary file in the root); 1 s with MLSD, 1 min with LIST. Hashes: what FEAT advertises.
     */
    @Override
    public Capabilities capabilities() {
        return capabilities.get();
    }

    private Probed.Outcome<Capabilities> measureCapabilities() {
        boolean keeps;
        boolean settled = true;
        if (features.mfmt()) {
            keeps = true;
        } else if (features.mdtm()) {
            ServerFeatures.Tri t = probeMdtmSet();
            keeps = t != ServerFeatures.Tri.NO;
            settled = t != ServerFeatures.Tri.UNKNOWN;
        } else {
            keeps = false;
        }
        Capabilities result = Capabilities.builder()
                .keepsModTime(keeps)
                .modTimePrecision(features.mlsd() ? SECOND : MINUTE)
                .hashes(features.hashCommands().keySet())
                .caseSensitive(caseSensitive)
                .maxNameLength(TemporaryNames.MAX_NAME_BYTES)
                .build();
        return settled ? Probed.Outcome.measured(result) : Probed.Outcome.guessed(result);
    }

    /** Whether two-argument MDTM sets a time: tried once on a temporary file in the root. */
    private ServerFeatures.Tri probeMdtmSet() {
        if (features.mdtmSets != ServerFeatures.Tri.UNKNOWN) {
            return features.mdtmSets;
        }
        String probe = child(abs(SyncPath.ROOT), TemporaryNames.newName("mdtm-probe"));
        Instant when = Instant.parse("2001-02-03T04:05:06Z");
        try {
            ServerFeatures.Tri result = withConnection("probe MDTM", false, c -> {
                if (!c.client.storeFile(probe, new ByteArrayInputStream(new byte[0]))) {
                    return ServerFeatures.Tri.UNKNOWN; // root missing or read-only: ask again later
                }
                try {
                    int code = c.command("MDTM", FTP_TIME.format(when) + " " + probe);
                    if (!FTPReply.isPositiveCompletion(code)) {
                        return ServerFeatures.Tri.NO;
                    }
                    Instant got = ListParser.parseTimeVal(c.client.getModificationTime(probe));
                    return when.equals(got) ? ServerFeatures.Tri.YES : ServerFeatures.Tri.NO;
                } finally {
                    c.client.deleteFile(probe);
                }
            });
            features.mdtmSets = result;
            return result;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "MDTM probe failed on " + description() + ": " + e.getMessage());
            return ServerFeatures.Tri.UNKNOWN;
        }
    }

    @Override
    public <T> Optional<T> ability(Class<T> type) {
        if (type == Hasher.class && features.hashCommands().isEmpty()) {
            return Optional.empty();
        }
        if (type == ModTimeSetter.class && !capabilities().keepsModTime()) {
            return Optional.empty();
        }
        if (type == ResumableWriter.class && !resumable()) {
            return Optional.empty();
        }
        if (type == Appender.class && probeStoreRestart().appe() != ServerFeatures.Tri.YES) {
            return Optional.empty();
        }
        return SyncTarget.super.ability(type);
    }

    /**
     * Whether an upload can be continued: the server must tell how much it holds (SIZE, or MLST)
     * and take more from an offset, by REST + STOR or by APPE. FEAT cannot tell: "REST STREAM"
     * also covers downloads, and ProFTPD advertises it while refusing both APPE and REST + STOR
     * with 451 unless {@code AllowStoreRestart on}. So both are tried once (see
     * {@link #probeStoreRestart}). Apache FtpServer and vsftpd take both.
     */
    private boolean resumable() {
        if (!features.size() && !features.mlst()) {
            return false;
        }
        ServerFeatures.StoreRestart r = probeStoreRestart();
        return r.rest() == ServerFeatures.Tri.YES || r.appe() == ServerFeatures.Tri.YES;
    }

    /**
     * Tries, once per server, on a temporary file in the root (created if missing): STOR 1 byte,
     * APPE 1 byte, and (where FEAT offers REST STREAM) REST 2 + STOR 1 byte, checking SIZE after
     * each. Unknown (and asked again later) where the root cannot be written.
     */
    private ServerFeatures.StoreRestart probeStoreRestart() {
        ServerFeatures.StoreRestart known = features.storeRestart;
        if (known.settled()) {
            return known;
        }
        synchronized (probeLock) {
            if (features.storeRestart.settled()) {
                return features.storeRestart;
            }
            String probe = child(abs(SyncPath.ROOT), TemporaryNames.newName("restart-probe"));
            String action = "probe APPE and REST + STOR on " + description();
            ServerFeatures.StoreRestart result;
            try {
                result = withConnection(action, false, c -> {
                    if (!c.client.storeFile(probe, new ByteArrayInputStream(new byte[] {1}))) {
                        // A fresh target's root may not exist yet: make it, as its first write
                        // would (asking for these abilities means writing is what comes next).
                        mkdirs(c, abs(SyncPath.ROOT), action);
                        if (!c.client.storeFile(probe, new ByteArrayInputStream(new byte[] {1}))) {
                            return ServerFeatures.StoreRestart.UNKNOWN; // read-only: ask again later
                        }
                    }
                    try {
                        ServerFeatures.Tri appe = c.client.appendFile(probe, new ByteArrayInputStream(new byte[] {2}))
                                && sizeOn(c, probe, action).orElse(-1L) == 2 ? ServerFeatures.Tri.YES : ServerFeatures.Tri.NO;
                        long at = appe == ServerFeatures.Tri.YES ? 2 : 1;
                        ServerFeatures.Tri rest = ServerFeatures.Tri.NO;
                        if (features.restStream()) {
                            c.client.setRestartOffset(at);
                            try {
                                rest = c.client.storeFile(probe, new ByteArrayInputStream(new byte[] {3}))
                                        && sizeOn(c, probe, action).orElse(-1L) == at + 1
                                        ? ServerFeatures.Tri.YES : ServerFeatures.Tri.NO;
                            } finally {
                                c.client.setRestartOffset(0);
                            }
                        }
                        return new ServerFeatures.StoreRestart(appe, rest);
                    } finally {
                        c.client.deleteFile(probe);
                    }
                });
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "APPE/REST probe failed on " + description() + ": " + e.getMessage());
                result = ServerFeatures.StoreRestart.UNKNOWN;
            }
            features.storeRestart = result;
            return result;
        }
    }

    // ---------------------------------------------------------------- paths and connections

    private String abs(SyncPath p) {
        if (p.isRoot()) {
            return base.isEmpty() ? "/" : base;
        }
        return base + "/" + p;
    }

    private static String child(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    private static String parentOf(String abs) {
        int i = abs.lastIndexOf('/');
        return i <= 0 ? "/" : abs.substring(0, i);
    }

    private String where(SyncPath p) {
        return (p.isRoot() ? "the root" : "'" + p + "'") + " on " + description();
    }

    @FunctionalInterface
    private interface Op<T> {
        T run(FtpConnection c) throws IOException;
    }

    /**
     * Runs {@code op} on a pooled connection. A connection that failed is closed, not pooled;
     * an idempotent operation is tried once more on a fresh connection when the first one was
     * dropped (421, reset, closed while idle).
     */
    private <T> T withConnection(String action, boolean idempotent, Op<T> op) throws IOException {
        for (int attempt = 0; ; attempt++) {
            FtpConnection c = pool.borrow();
            try {
                T result = op.run(c);
                pool.release(c);
                return result;
            } catch (SyncException e) {
                boolean dropped = c.isBroken();
                pool.release(c);
                if (idempotent && attempt == 0 && dropped && e instanceof TransientSyncException) {
                    continue;
                }
                throw e;
            } catch (IOException e) {
                pool.discard(c);
                IOException mapped = FtpErrors.io(e, action);
                if (idempotent && attempt == 0 && mapped instanceof TransientSyncException) {
                    continue;
                }
                throw mapped;
            } catch (RuntimeException e) {
                pool.discard(c);
                throw e;
            }
        }
    }

    private static IOException replyError(FtpConnection c, String action) {
        int code = c.client.getReplyCode();
        String reply = c.client.getReplyString();
        if (code == 421 || reply != null && reply.contains("OOPS")) {
            c.markBroken();
        }
        return FtpErrors.reply(code, reply, action);
    }

    // ---------------------------------------------------------------- listing

    @Override
    public void list(SyncPath directory, ListingSink sink) throws IOException {
        String dir = abs(directory);
        String action = "list " + where(directory);
        Instant sweepBefore = Instant.now().minus(options.tempMaxAge());
        List<Entry> entries = new ArrayList<>();
        List<ListingNotice> notices = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        withConnection(action, true, c -> {
            entries.clear();
            notices.clear();
            stale.clear();
            if (!c.client.changeWorkingDirectory(dir)) {
                int code = c.client.getReplyCode();
                if (code == 550 || code == 553 || code == 501 || code == 450) {
                    throw new NotFoundException("cannot " + action + ": no such directory (" + c.client.getReplyString().trim() + ")");
                }
                throw replyError(c, action);
            }
            boolean mlsd = features.mlsd();
            FTPFile[] files = mlsd ? mlsd(c, action) : listLines(c, action, directory, notices);
            List<FTPFile> needTime = new ArrayList<>();
            for (FTPFile f : files) {
                if (f == null || f.getName() == null) {
                    continue;
                }
                String name = f.getName();
                if (name.equals(".") || name.equals("..")) {
                    continue;
                }
                if (TemporaryNames.isTemporary(name)) {
                    Calendar ts = f.getTimestamp();
                    if (ts != null && ts.toInstant().isBefore(sweepBefore)) {
                        stale.add(child(dir, name));
                    }
                    continue;
                }
                try {
                    SyncPath.checkName(name);
                } catch (IllegalArgumentException e) {
                    notices.add(ListingNotice.hostileName(directory, name, "in " + where(directory) + ": " + e.getMessage()));
                    continue;
                }
                SyncPath path = directory.child(name);
                if (f.isSymbolicLink()) {
                    notices.add(new ListingNotice(path.toString(), ListingNotice.Reason.SYMLINK,
                            "symbolic link on the server, not followed"));
                } else if (f.isDirectory()) {
                    entries.add(Entry.directory(path).build());
                } else if (f.isFile()) {
                    if (!mlsd && ListParser.dateOnly(f)) {
                        needTime.add(f);
                        continue;
                    }
                    Calendar ts = f.getTimestamp();
                    entries.add(Entry.file(path, Math.max(0, f.getSize()))
                            .modTime(ts == null ? null : ts.toInstant())
                            .modTimePrecision(mlsd ? SECOND : MINUTE).build());
                } else {
                    notices.add(new ListingNotice(path.toString(), ListingNotice.Reason.SPECIAL_FILE,
                            "neither a file nor a directory on the server: not synced"));
                }
            }
            // LIST shows only the day for older files: ask for their exact time (1 s) by MDTM.
            List<Instant> exact = exactTimes(c, dir, needTime);
            for (int i = 0; i < needTime.size(); i++) {
                FTPFile f = needTime.get(i);
                Instant t = exact.get(i);
                Calendar ts = f.getTimestamp();
                if (t == null && ts != null) {
                    t = ts.toInstant();
                }
                entries.add(Entry.file(directory.child(f.getName()), Math.max(0, f.getSize()))
                        .modTime(t).modTimePrecision(exact.get(i) != null ? SECOND : Duration.ofDays(1)).build());
            }
            return null;
        });
        for (ListingNotice n : notices) {
            sink.notice(n);
        }
        for (Entry e : entries) {
            sink.entry(e);
        }
        for (String s : stale) {
            try {
                withConnection("delete a stale temporary file", true, c -> c.client.deleteFile(s));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot sweep " + s + ": " + e.getMessage());
            }
        }
    }

    /** MDTM of each file, pipelined; null where the server gives no time. */
    private List<Instant> exactTimes(FtpConnection c, String dir, List<FTPFile> files) throws IOException {
        List<Instant> out = new ArrayList<>(files.size());
        if (files.isEmpty()) {
            return out;
        }
        if (!features.mdtm()) {
            files.forEach(f -> out.add(null));
            return out;
        }
        List<String> commands = new ArrayList<>(files.size());
        for (FTPFile f : files) {
            commands.add("MDTM " + child(dir, f.getName()));
        }
        List<String> replies;
        try {
            replies = ((Pipelining) c.client).pipeline(commands);
        } catch (IOException e) {
            c.markBroken();
            throw e;
        }
        for (String reply : replies) {
            Instant t = null;
            String r = reply == null ? "" : reply.trim();
            if (r.startsWith("213 ")) {
                t = ListParser.parseTimeVal(r.substring(4));
            }
            out.add(t);
        }
        return out;
    }

    /** MLSD of the working directory, with {@code -a} where the server takes it (dot files). */
    private FTPFile[] mlsd(FtpConnection c, String action) throws IOException {
        if (features.mlsdDashA != ServerFeatures.Tri.NO) {
            FTPFile[] files = c.client.mlistDir("-a");
            int code = c.client.getReplyCode();
            if (FTPReply.isPositiveCompletion(code)) {
                features.mlsdDashA = ServerFeatures.Tri.YES;
                return files;
            }
            if (features.mlsdDashA == ServerFeatures.Tri.YES || code < 500) {
                throw replyError(c, action);
            }
            features.mlsdDashA = ServerFeatures.Tri.NO;
        }
        FTPFile[] files = c.client.mlistDir();
        if (!FTPReply.isPositiveCompletion(c.client.getReplyCode())) {
            throw replyError(c, action);
        }
        return files;
    }

    /** LIST -a of the working directory; lines in no known format become notices. */
    private FTPFile[] listLines(FtpConnection c, String action, SyncPath directory, List<ListingNotice> notices)
            throws IOException {
        FTPListParseEngine engine = c.client.initiateListParsing("ferry", null);
        int code = c.client.getReplyCode();
        if (!FTPReply.isPositiveCompletion(code) && !FTPReply.isPositivePreliminary(code)) {
            throw replyError(c, action);
        }
        FTPFile[] files = engine.getFiles();
        ListParser parser = c.parsers.parser();
        if (parser != null) {
            for (String line : parser.takeUnparsed()) {
                notices.add(new ListingNotice(directory.isRoot() ? line : directory + "/" + line,
                        ListingNotice.Reason.UNREADABLE, "in " + where(directory)
                                + ": a LIST line in no known format (Unix or Windows): " + line));
            }
        }
        return files;
    }

    // ---------------------------------------------------------------- stat

    @Override
    public Optional<Entry> stat(SyncPath path) throws IOException {
        if (!path.isRoot() && TemporaryNames.isTemporary(path.name())) {
            return Optional.empty();
        }
        String p = abs(path);
        String action = "stat " + where(path);
        return withConnection(action, true, c -> statOn(c, path, p, action));
    }

    private Optional<Entry> statOn(FtpConnection c, SyncPath path, String p, String action) throws IOException {
        if (features.mlst()) {
            FTPFile f = c.client.mlistFile(p);
            int code = c.client.getReplyCode();
            if (!FTPReply.isPositiveCompletion(code)) {
                if (code == 550 || code == 501 || code == 553 || code == 450) {
                    return Optional.empty();
                }
                throw replyError(c, action);
            }
            if (f == null) {
                return Optional.empty();
            }
            String got = f.getName() == null ? "" : f.getName();
            String gotName = got.substring(got.lastIndexOf('/') + 1);
            if (!path.isRoot() && !gotName.equals(path.name())) {
                // Some servers (Apache FtpServer) read MLST's argument as a pattern: '?', '*', '['
                // then name something else. Ask the plain way instead.
                return statBySizeAndMdtm(c, path, p, action);
            }
            if (f.isDirectory()) {
                return Optional.of(Entry.directory(path).build());
            }
            if (!f.isFile()) {
                return Optional.empty();
            }
            Calendar ts = f.getTimestamp();
            return Optional.of(Entry.file(path, Math.max(0, f.getSize()))
                    .modTime(ts == null ? null : ts.toInstant()).modTimePrecision(SECOND).build());
        }
        return statBySizeAndMdtm(c, path, p, action);
    }

    /** For servers without MLST: a file answers MDTM and SIZE; a directory can be entered. */
    private Optional<Entry> statBySizeAndMdtm(FtpConnection c, SyncPath path, String p, String action) throws IOException {
        Instant t = ListParser.parseTimeVal(c.client.getModificationTime(p));
        if (t != null) {
            String size = c.client.getSize(p);
            if (size != null) {
                try {
                    return Optional.of(Entry.file(path, Long.parseLong(size.trim())).modTime(t).modTimePrecision(SECOND).build());
                } catch (NumberFormatException e) {
                    throw new PermanentSyncException("cannot " + action + ": SIZE gave '" + size + "'");
                }
            }
        }
        if (c.client.getReplyCode() == 421) {
            throw replyError(c, action);
        }
        if (c.client.changeWorkingDirectory(p)) {
            return Optional.of(Entry.directory(path).build());
        }
        int code = c.client.getReplyCode();
        if (code >= 500 || code == 450) {
            return Optional.empty();
        }
        throw replyError(c, action);
    }

    // ---------------------------------------------------------------- reading

    /** Opens for reading at {@code offset} (REST); an offset at or past the end gives an empty stream. */
    @Override
    public InputStream open(SyncPath path, long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        String p = abs(path);
        String action = "read " + where(path);
        for (int attempt = 0; ; attempt++) {
            FtpConnection c = pool.borrow();
            try {
                c.client.setRestartOffset(offset);
                InputStream in = c.client.retrieveFileStream(p);
                c.client.setRestartOffset(0);
                if (in == null) {
                    int code = c.client.getReplyCode();
                    String reply = c.client.getReplyString();
                    if (offset > 0 && code >= 500) {
                        String size = c.client.getSize(p);
                        if (size != null && Long.parseLong(size.trim()) <= offset) {
                            pool.release(c);
                            return InputStream.nullInputStream();
                        }
                    }
                    throw code == 550 || code == 450
                            ? new NotFoundException("cannot " + action + ": not a readable file (" + reply.trim() + ")")
                            : replyError(c, action); // released below
                }
                c.beginTransfer();
                return new DownloadStream(c, in, action);
            } catch (SyncException e) {
                boolean dropped = c.isBroken();
                pool.release(c);
                if (attempt == 0 && dropped && e instanceof TransientSyncException) {
                    continue;
                }
                throw e;
            } catch (IOException e) {
                pool.discard(c);
                IOException mapped = FtpErrors.io(e, action);
                if (attempt == 0 && mapped instanceof TransientSyncException) {
                    continue;
                }
                throw mapped;
            } catch (RuntimeException e) {
                pool.discard(c);
                throw e;
            }
        }
    }

    /** A RETR's data stream; closing it completes the command and gives the connection back. */
    private final class DownloadStream extends FilterInputStream {
        private final FtpConnection c;
        private final String action;
        private boolean eof;
        private boolean closed;

        DownloadStream(FtpConnection c, InputStream in, String action) {
            super(in);
            this.c = c;
            this.action = action;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            if (eof) {
                return -1;
            }
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                c.markBroken();
                throw FtpErrors.io(e, action);
            }
            if (n < 0) {
                eof = true;
                finish(true);
            } else {
                c.keepAlive(options.keepAlive());
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
            long left = n;
            while (left > 0) {
                int r = read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    break;
                }
                left -= r;
            }
            return n - left;
        }

        /** At the end: the server must confirm the transfer, or the bytes read may be truncated. */
        private void finish(boolean atEnd) throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                in.close();
                if (!c.isBroken()) {
                    boolean ok = c.completeTransfer();
                    if (!ok && atEnd) {
                        throw replyError(c, action);
                    }
                }
                pool.release(c);
            } catch (SyncException e) {
                pool.release(c);
                throw e;
            } catch (IOException e) {
                pool.discard(c);
                if (atEnd) {
                    throw FtpErrors.io(e, action);
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                if (!eof) {
                    // Stopped early: the server answers 426 or 226 depending on timing; either is fine.
                    try {
                        in.close();
                    } catch (IOException ignored) {
                        c.markBroken();
                    }
                }
                finish(false);
            }
        }
    }

    // ---------------------------------------------------------------- hashes

    @Override
    public Optional<String> hash(SyncPath path, HashAlgorithm algorithm) throws IOException {
        String command = features.hashCommands().get(algorithm);
        if (command == null) {
            return Optional.empty();
        }
        String p = abs(path);
        String action = "hash " + where(path);
        return withConnection(action, true, c -> {
            if (command.equals("HASH")) {
                String name = switch (algorithm) {
                    case MD5 -> "MD5";
                    case SHA1 -> "SHA-1";
                    case SHA256 -> "SHA-256";
                    case CRC32 -> "CRC32";
                };
                c.command("OPTS", "HASH " + name);
                if (!FTPReply.isPositiveCompletion(c.client.getReplyCode())) {
                    return Optional.empty();
                }
            }
            int code = c.command(command, p);
            if (!FTPReply.isPositiveCompletion(code)) {
                if (code == 550) {
                    throw new NotFoundException("cannot " + action + ": " + c.client.getReplyString().trim());
                }
                throw replyError(c, action);
            }
            String reply = c.client.getReplyString().trim();
            String found = null;
            for (String token : reply.substring(Math.min(4, reply.length())).split("\\s+")) {
                String t = token.replace("\"", "");
                if (t.length() == algorithm.hexLength() && t.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
                    found = t;
                    if (command.equals("HASH")) {
                        break; // 213 <alg> <range> <hash> <name>: the first one, not one in the name
                    }
                }
            }
            return Optional.ofNullable(found).map(algorithm::normalize);
        });
    }

    // ---------------------------------------------------------------- writing

    /**
     * One upload, all at once: the same pieces as a {@linkplain #begin resumable write} (STOR to
     * the temporary name, then {@link #publish}), on one connection, so a small file costs one
     * data connection and three commands.
     */
    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        FtpPartialWrite w = newWrite(path, hints);
        SizedStream body = new SizedStream(content, hints.size(), "write " + where(path));
        Capabilities caps = capabilities(); // before borrowing: it may probe on a connection of its own
        return send(w, 0, body, true, c -> w.publish(c, body.count(), caps));
    }

    /** What to do on the same connection once the bytes are stored. */
    @FunctionalInterface
    private interface AfterStore {
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
    private Entry send(FtpPartialWrite w, long offset, SizedStream body, boolean dropOnFailure, AfterStore after)
            throws IOException {
        String action = w.action;
        boolean mkdirsTried = false;
        for (int attempt = 0; ; attempt++) {
            FtpConnection c = pool.borrow();
            boolean stored = false;
            try {
                if (offset == 0 && !knownDirs.contains(w.dir)) {
                    mkdirs(c, w.dir, action);
                    knownDirs.add(w.dir);
                }
                boolean ok = store(c, w.temp, offset, body);
                if (!ok) {
                    int code = c.client.getReplyCode();
                    knownDirs.remove(w.dir);
                    if (offset == 0 && !body.started() && !mkdirsTried
                            && (code == 550 || code == 553 || code == 450 || code == 451)) {
                        // Most likely the directory is missing: create it and try once more.
                        mkdirsTried = true;
                        mkdirs(c, w.dir, action);
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
                boolean sourceFault = body.failure() != null && (e == body.failure() || e.getCause() == body.failure());
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
        } else if (features.storeRestart.rest() == ServerFeatures.Tri.YES) {
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
                c.keepAlive(options.keepAlive());
            }
        } catch (IOException | RuntimeException e) {
            c.markBroken();
            throw e;
        }
        return c.completeTransfer();
    }

    /** SIZE (or MLST where SIZE is missing) of a file; empty if there is none. */
    private Optional<Long> sizeOn(FtpConnection c, String p, String action) throws IOException {
        if (!features.size() && features.mlst()) {
            FTPFile f = c.client.mlistFile(p);
            int code = c.client.getReplyCode();
            if (FTPReply.isPositiveCompletion(code) && f != null && f.isFile()) {
                return Optional.of(Math.max(0, f.getSize()));
            }
            if (code == 550 || code == 450 || code == 553 || code == 501 || FTPReply.isPositiveCompletion(code)) {
                return Optional.empty();
            }
            throw replyError(c, action);
        }
        String size = c.client.getSize(p);
        if (size != null) {
            try {
                return Optional.of(Long.parseLong(size.trim()));
            } catch (NumberFormatException e) {
                throw new PermanentSyncException("cannot " + action + ": SIZE gave '" + size + "'");
            }
        }
        int code = c.client.getReplyCode();
        if (code == 550 || code == 450 || code == 553 || code == 501) {
            return Optional.empty();
        }
        throw replyError(c, action);
    }

    // ---------------------------------------------------------------- resumable writes

    /**
     * Starts a write that a later process can continue. Nothing is sent yet: the temporary file
     * {@code .ferry-<random>.<name>.partial} appears in the destination directory with the first
     * {@link PartialWrite#append}. The token is {@code <temporary name>/<path>}: no secret, and
     * enough to find both files again.
     */
    @Override
    public PartialWrite begin(SyncPath path, WriteHints hints) throws IOException {
        return newWrite(path, hints);
    }

    private FtpPartialWrite newWrite(SyncPath path, WriteHints hints) throws IOException {
        if (path.isRoot()) {
            throw new PermanentSyncException("cannot write the root of " + description() + " as a file");
        }
        return new FtpPartialWrite(path, TemporaryNames.newName(path.name()), hints);
    }

    /**
     * Finds the temporary file a token names; empty if it is gone (completed, aborted, or swept
     * after {@code tempMaxAge}) or the token is not one of ours.
     */
    @Override
    public Optional<PartialWrite> resume(String token, WriteHints hints) throws IOException {
        Optional<TemporaryNames.ResumeToken> parsed = TemporaryNames.ResumeToken.parse(token);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        SyncPath path = parsed.get().path();
        String tempName = parsed.get().temporaryName();
        FtpPartialWrite w = new FtpPartialWrite(path, tempName, hints);
        String action = "resume " + w.action;
        Optional<Long> held = withConnection(action, true, c -> sizeOn(c, w.temp, action));
        if (held.isEmpty()) {
            return Optional.empty();
        }
        if (features.storeRestart.rest() != ServerFeatures.Tri.YES) {
            // APPE adds at whatever the end is: wait until a killed session's server process has
            // written what it still had, or its last bytes would land after ours.
            long before = held.get();
            for (int i = 0; i < 20; i++) {
                sleep(250);
                long now = withConnection(action, true, c -> sizeOn(c, w.temp, action)).orElse(-1L);
                if (now == before) {
                    break;
                }
                before = now;
            }
        }
        return Optional.of(w);
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    /** A write into a temporary file in the destination directory, renamed over the final name at the end. */
    private final class FtpPartialWrite implements PartialWrite {
        final SyncPath path;
        final String tempName;
        final String target;
        final String dir;
        final String temp;
        final WriteHints hints;
        final String action;

        FtpPartialWrite(SyncPath path, String tempName, WriteHints hints) {
            this.path = path;
            this.tempName = tempName;
            this.target = abs(path);
            this.dir = parentOf(target);
            this.temp = child(dir, tempName);
            this.hints = hints;
            this.action = "write " + where(path);
        }

        @Override
        public String token() {
            return new TemporaryNames.ResumeToken(tempName, path).toString();
        }

        /** SIZE of the temporary file; 0 before the first byte arrived. */
        @Override
        public long committedBytes() throws IOException {
            return withConnection(action, true, c -> sizeOn(c, temp, action)).orElse(0L);
        }

        /** Sends the rest, from {@link #committedBytes()} on; the temporary file stays if this fails. */
        @Override
        public void append(InputStream content) throws IOException {
            long offset = committedBytes();
            long rest = hints.size() < 0 ? -1 : hints.size() - offset;
            if (rest < 0 && hints.size() >= 0) {
                throw new PermanentSyncException("cannot " + action + ": the temporary file already holds " + offset
                        + " bytes, more than the " + hints.size() + " announced");
            }
            send(this, offset, new SizedStream(content, rest, action), false, c -> null);
        }

        /** Checks the size on the server, sets the time and renames into place. */
        @Override
        public Entry complete() throws IOException {
            Capabilities caps = capabilities(); // before borrowing: it may probe on a connection of its own
            return withConnection(action, false, c -> {
                long held = sizeOn(c, temp, action).orElseThrow(() -> new PermanentSyncException("cannot " + action
                        + ": its temporary file is gone (swept or deleted); nothing was published"));
                if (hints.size() >= 0 && held != hints.size()) {
                    throw new PermanentSyncException("cannot " + action + ": the server holds " + held + " bytes, not the "
                            + hints.size() + " announced; nothing was published");
                }
                return publish(c, held, caps);
            });
        }

        /** Deletes the temporary file; one already gone counts as deleted. */
        @Override
        public void abort() {
            removeTemp(temp);
        }

        /**
         * The last step of every upload: the modification time on the temporary file (so no reader
         * sees the new content with a wrong time), then RNFR/RNTO over the final name.
         */
        Entry publish(FtpConnection c, long size, Capabilities caps) throws IOException {
            Optional<Instant> modTime = hints.modTime().map(t -> t.truncatedTo(ChronoUnit.SECONDS));
            boolean setTime = modTime.isPresent() && caps.keepsModTime();
            if (setTime) {
                setTimeOn(c, temp, modTime.get(), action);
            }
            renameOver(c, temp, target, action);
            Entry.Builder b = Entry.file(path, size).modTimePrecision(caps.modTimePrecision());
            if (setTime) {
                b.modTime(modTime.get());
            }
            return b.build();
        }
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

    private void removeTemp(String temp) {
        try {
            withConnection("delete a temporary file", true, c -> {
                c.client.deleteFile(temp);
                return null;
            });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot delete " + temp + " (swept later): " + e.getMessage());
        }
    }

    private static void deleteQuietly(FtpConnection c, String p) {
        try {
            c.client.deleteFile(p);
        } catch (IOException e) {
            c.markBroken();
        }
    }

    /** RNFR/RNTO; where the server refuses to rename over an existing file, it is deleted first. */
    private void renameOver(FtpConnection c, String from, String to, String action) throws IOException {
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

    private void setTimeOn(FtpConnection c, String p, Instant t, String action) throws IOException {
        String stamp = FTP_TIME.format(t);
        boolean ok;
        if (features.mfmt()) {
            ok = c.client.setModificationTime(p, stamp);
        } else {
            ok = FTPReply.isPositiveCompletion(c.command("MDTM", stamp + " " + p));
        }
        if (!ok) {
            throw replyError(c, action + " (setting the modification time)");
        }
    }

    /** Creates {@code dir} and its missing parents. */
    private void mkdirs(FtpConnection c, String dir, String action) throws IOException {
        if (dir.equals("/") || dir.isEmpty()) {
            return;
        }
        if (c.client.makeDirectory(dir)) {
            return;
        }
        if (c.client.getReplyCode() == 421) {
            throw replyError(c, action);
        }
        if (c.client.changeWorkingDirectory(dir)) {
            return; // already there
        }
        mkdirs(c, parentOf(dir), action);
        if (!c.client.makeDirectory(dir) && !c.client.changeWorkingDirectory(dir)) {
            throw replyError(c, action + " (creating directory " + dir + ")");
        }
    }

    /** Counts what goes out and refuses a stream shorter or longer than announced. */
    private static final class SizedStream extends FilterInputStream {
        private final long expected;
        private final String action;
        private long count;
        private boolean started;
        private Throwable failure;

        SizedStream(InputStream in, long expected, String action) {
            super(in);
            this.expected = expected;
            this.action = action;
        }

        boolean started() {
            return started;
        }

        long count() {
            return count;
        }

        Throwable failure() {
            return failure;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            started = true;
            int want = len;
            if (expected >= 0) {
                // Read one byte past the announced size at most, to notice a longer stream.
                want = (int) Math.min(len, Math.max(1, expected - count + 1));
            }
            int n;
            try {
                n = in.read(b, off, want);
            } catch (IOException | RuntimeException e) {
                failure = e;
                throw e;
            }
            if (n > 0) {
                count += n;
                if (expected >= 0 && count > expected) {
                    throw fail(new PermanentSyncException("cannot " + action + ": the source delivered more than the "
                            + expected + " bytes announced"));
                }
            } else if (n < 0 && expected >= 0 && count < expected) {
                throw fail(new PermanentSyncException("cannot " + action + ": the source ended after " + count
                        + " of the " + expected + " bytes announced"));
            }
            return n;
        }

        private IOException fail(IOException e) {
            failure = e;
            return e;
        }

        void checkComplete() throws IOException {
            if (expected >= 0 && count != expected) {
                throw fail(new PermanentSyncException("cannot " + action + ": sent " + count + " of the " + expected
                        + " bytes announced"));
            }
        }

        @Override
        public void close() {
            // The caller owns the content stream: consumed here, never closed.
        }
    }

    // ---------------------------------------------------------------- delete, mkdir

    @Override
    public void delete(SyncPath path) throws IOException {
        String p = abs(path);
        String action = "delete " + where(path);
        withConnection(action, true, c -> {
            if (c.client.deleteFile(p)) {
                return null;
            }
            knownDirs.removeIf(d -> d.equals(p) || d.startsWith(p + "/"));
            if (c.client.getReplyCode() == 421) {
                throw replyError(c, action);
            }
            // Some servers (Apache FtpServer: 450 "resource busy") refuse to remove the session's
            // working directory, where a listing on this pooled connection may have left it.
            c.client.changeWorkingDirectory("/");
            if (c.client.removeDirectory(p)) {
                return null;
            }
            IOException refusal = replyError(c, action);
            if (statOn(c, path, p, action).isEmpty()) {
                return null; // nothing there: a retried delete succeeds
            }
            throw refusal instanceof NotFoundException
                    ? new PermanentSyncException(refusal.getMessage() + " (a directory that is not empty?)")
                    : refusal;
        });
    }

    @Override
    public void makeDirectories(SyncPath directory) throws IOException {
        String action = "create directory " + where(directory);
        withConnection(action, true, c -> {
            mkdirs(c, abs(directory), action);
            return null;
        });
    }

    // ---------------------------------------------------------------- abilities

    @Override
    public Entry move(SyncPath from, SyncPath to) throws IOException {
        String src = abs(from);
        String dst = abs(to);
        String action = "move " + where(from) + " to '" + to + "'";
        withConnection(action, false, c -> {
            if (c.client.rename(src, dst)) {
                return null;
            }
            int code = c.client.getReplyCode();
            if (code == 421 || code < 500) {
                throw replyError(c, action);
            }
            if (statOn(c, from, src, action).isEmpty()) {
                throw new NotFoundException("cannot " + action + ": nothing is there");
            }
            mkdirs(c, parentOf(dst), action);
            if (c.client.rename(src, dst)) {
                return null;
            }
            Optional<Entry> existing = statOn(c, to, dst, action);
            if (existing.isPresent() && existing.get().isFile() && c.client.deleteFile(dst) && c.client.rename(src, dst)) {
                return null;
            }
            throw replyError(c, action);
        });
        return stat(to).orElseThrow(() -> new TransientSyncException("cannot " + action + ": the result is not visible yet"));
    }

    @Override
    public Entry append(SyncPath path, long expectedSize, InputStream content) throws IOException {
        String p = abs(path);
        String action = "append to " + where(path);
        Optional<Entry> now = stat(path);
        if (now.isEmpty() || !now.get().isFile()) {
            throw new NotFoundException("cannot " + action + ": no such file");
        }
        if (now.get().size() != expectedSize) {
            throw new PreconditionFailedException("cannot " + action + ": it is " + now.get().size()
                    + " bytes, not the " + expectedSize + " expected");
        }
        SizedStream body = new SizedStream(content, -1, action);
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
        return Entry.file(path, expectedSize + body.count()).modTimePrecision(capabilities().modTimePrecision()).build();
    }

    @Override
    public Entry setModTime(SyncPath path, Instant modTime) throws IOException {
        Instant t = modTime.truncatedTo(ChronoUnit.SECONDS);
        String p = abs(path);
        String action = "set the modification time of " + where(path);
        if (!capabilities().keepsModTime()) {
            throw new PermanentSyncException("cannot " + action + ": the server offers neither MFMT nor two-argument MDTM");
        }
        return withConnection(action, true, c -> {
            setTimeOn(c, p, t, action);
            return statOn(c, path, p, action)
                    .orElseThrow(() -> new NotFoundException("cannot " + action + ": no such file"));
        });
    }

    // ---------------------------------------------------------------- lifecycle

    /** The options this target was opened with (for tests and diagnostics; no password in toString). */
    FtpOptions options() {
        return options;
    }

    /** Closes every pooled connection; streams still open keep theirs until closed. */
    @Override
    public void close() {
        pool.close();
    }

    /** Server facts, for tests. */
    Map<HashAlgorithm, String> hashCommands() {
        return features.hashCommands();
    }
}
