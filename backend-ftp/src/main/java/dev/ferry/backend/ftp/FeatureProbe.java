package dev.ferry.backend.ftp;

import static dev.ferry.backend.ftp.FtpSession.child;

import dev.ferry.api.Capabilities;
import dev.ferry.api.SyncPath;
import dev.ferry.backend.support.Probed;
import dev.ferry.backend.support.TemporaryNames;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.apache.commons.net.ftp.FTPReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server can do, beyond what FEAT says: whether two-argument MDTM sets a time, and
 * whether an upload can be continued (APPE, REST + STOR). Each is tried once per server on a
 * temporary file in the root; a root that cannot be written leaves the answer unknown, to be
 * asked again later.
 */
final class FeatureProbe {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureProbe.class);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final FtpSession session;
    private final ServerFeatures features;
    private final FtpStat stat;
    private final FtpDirectories dirs;
    private final boolean caseSensitive;
    private final Object probeLock = new Object();
    private final Probed<Capabilities> capabilities = new Probed<>(this::measureCapabilities);

    FeatureProbe(FtpSession session, FtpStat stat, FtpDirectories dirs, boolean caseSensitive) {
        this.session = session;
        this.features = session.features;
        this.stat = stat;
        this.dirs = dirs;
        this.caseSensitive = caseSensitive;
    }

    /**
     * Times kept when MFMT is offered, or when two-argument MDTM works (probed once with a
     * temporary file in the root); 1 s with MLSD, 1 min with LIST. Hashes: what FEAT advertises.
     */
    Capabilities capabilities() {
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
                .modTimePrecision(features.mlsd() ? FtpStat.SECOND : MINUTE)
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
        String probe = child(session.abs(SyncPath.ROOT), TemporaryNames.newName("mdtm-probe"));
        Instant when = Instant.parse("2001-02-03T04:05:06Z");
        try {
            ServerFeatures.Tri result = session.withConnection("probe MDTM", false, c -> {
                if (!c.client.storeFile(probe, new ByteArrayInputStream(new byte[0]))) {
                    return ServerFeatures.Tri.UNKNOWN; // root missing or read-only: ask again later
                }
                try {
                    int code = c.command("MDTM", FtpTimesAndHashes.FTP_TIME.format(when) + " " + probe);
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
            LOG.debug("MDTM probe failed on {}: {}", session.description(), e.getMessage());
            return ServerFeatures.Tri.UNKNOWN;
        }
    }

    /**
     * Whether the server keeps POSIX modes: SITE CHMOD to 0600 and then 0755 on a temporary file
     * in the root, each read back from a listing (MLST's unix.mode, or LIST's letters), so a
     * server that shows made-up permissions or ignores CHMOD is not taken at its word. Tried once.
     */
    boolean keepsModes() {
        if (features.chmod != ServerFeatures.Tri.UNKNOWN) {
            return features.chmod == ServerFeatures.Tri.YES;
        }
        synchronized (probeLock) {
            if (features.chmod != ServerFeatures.Tri.UNKNOWN) {
                return features.chmod == ServerFeatures.Tri.YES;
            }
            String root = session.abs(SyncPath.ROOT);
            String probe = child(root, TemporaryNames.newName("chmod-probe"));
            String action = "probe SITE CHMOD on " + session.description();
            ServerFeatures.Tri result;
            try {
                result = session.withConnection(action, false, c -> withProbeFile(c, root, probe, new byte[0], action,
                        ServerFeatures.Tri.UNKNOWN, () -> {
                            for (int mode : new int[] {0600, 0755}) {
                                if (!chmod(c, probe, mode) || modeOf(c, probe).orElse(-1) != mode) {
                                    return ServerFeatures.Tri.NO;
                                }
                            }
                            return ServerFeatures.Tri.YES;
                        }));
            } catch (IOException e) {
                LOG.debug("SITE CHMOD probe failed on {}: {}", session.description(), e.getMessage());
                result = ServerFeatures.Tri.UNKNOWN;
            }
            features.chmod = result;
            return result == ServerFeatures.Tri.YES;
        }
    }

    /** What a probe does with its file in place. */
    @FunctionalInterface
    private interface ProbeBody<T> {
        T run() throws IOException;
    }

    /**
     * Stores {@code content} as the temporary file {@code probe} in the root, runs {@code body} and
     * deletes the file. A fresh target's root may not exist yet: it is made, as the first write
     * would (asking for an ability means writing is what comes next); where the root cannot be
     * written the answer is {@code unknown}, to be asked again later.
     */
    private <T> T withProbeFile(FtpConnection c, String root, String probe, byte[] content, String action, T unknown,
            ProbeBody<T> body) throws IOException {
        if (!c.client.storeFile(probe, new ByteArrayInputStream(content))) {
            dirs.mkdirs(c, root, action);
            if (!c.client.storeFile(probe, new ByteArrayInputStream(content))) {
                return unknown;
            }
        }
        try {
            return body.run();
        } finally {
            c.client.deleteFile(probe);
        }
    }

    /** SITE CHMOD; whether the server said it was done. */
    static boolean chmod(FtpConnection c, String path, int mode) throws IOException {
        return c.client.sendSiteCommand("CHMOD " + Integer.toOctalString(mode) + " " + path);
    }

    /** The mode a listing of one file shows: MLST where offered, else LIST. */
    private java.util.OptionalInt modeOf(FtpConnection c, String path) throws IOException {
        if (features.mlst()) {
            org.apache.commons.net.ftp.FTPFile f = c.client.mlistFile(path);
            return f == null ? java.util.OptionalInt.empty() : ListParser.mode(f);
        }
        org.apache.commons.net.ftp.FTPFile[] files = c.client.listFiles(path);
        return files.length == 1 && files[0] != null ? ListParser.mode(files[0]) : java.util.OptionalInt.empty();
    }

    /** Whether the {@code Hasher} ability is offered: FEAT advertised a hash command. */
    boolean hashes() {
        return !features.hashCommands().isEmpty();
    }

    /**
     * Whether an upload can be continued: the server must tell how much it holds (SIZE, or MLST)
     * and take more from an offset, by REST + STOR or by APPE. FEAT cannot tell: "REST STREAM"
     * also covers downloads, and ProFTPD advertises it while refusing both APPE and REST + STOR
     * with 451 unless {@code AllowStoreRestart on}. So both are tried once (see
     * {@link #storeRestart}). Apache FtpServer and vsftpd take both.
     */
    boolean resumable() {
        if (!features.size() && !features.mlst()) {
            return false;
        }
        ServerFeatures.StoreRestart r = storeRestart();
        return r.rest() == ServerFeatures.Tri.YES || r.appe() == ServerFeatures.Tri.YES;
    }

    /** Whether APPE adds to a file (the {@code Appender} ability). */
    boolean appends() {
        return storeRestart().appe() == ServerFeatures.Tri.YES;
    }

    /**
     * Tries, once per server, on a temporary file in the root (created if missing): STOR 1 byte,
     * APPE 1 byte, and (where FEAT offers REST STREAM) REST 2 + STOR 1 byte, checking SIZE after
     * each. Unknown (and asked again later) where the root cannot be written.
     */
    ServerFeatures.StoreRestart storeRestart() {
        ServerFeatures.StoreRestart known = features.storeRestart;
        if (known.settled()) {
            return known;
        }
        synchronized (probeLock) {
            if (features.storeRestart.settled()) {
                return features.storeRestart;
            }
            String root = session.abs(SyncPath.ROOT);
            String probe = child(root, TemporaryNames.newName("restart-probe"));
            String action = "probe APPE and REST + STOR on " + session.description();
            ServerFeatures.StoreRestart result;
            try {
                result = session.withConnection(action, false, c -> withProbeFile(c, root, probe, new byte[] {1}, action,
                        ServerFeatures.StoreRestart.UNKNOWN, () -> {
                            ServerFeatures.Tri appe = c.client.appendFile(probe, new ByteArrayInputStream(new byte[] {2}))
                                    && stat.sizeOn(c, probe, action).orElse(-1L) == 2 ? ServerFeatures.Tri.YES : ServerFeatures.Tri.NO;
                            long at = appe == ServerFeatures.Tri.YES ? 2 : 1;
                            ServerFeatures.Tri rest = ServerFeatures.Tri.NO;
                            if (features.restStream()) {
                                c.client.setRestartOffset(at);
                                try {
                                    rest = c.client.storeFile(probe, new ByteArrayInputStream(new byte[] {3}))
                                            && stat.sizeOn(c, probe, action).orElse(-1L) == at + 1
                                            ? ServerFeatures.Tri.YES : ServerFeatures.Tri.NO;
                                } finally {
                                    c.client.setRestartOffset(0);
                                }
                            }
                            return new ServerFeatures.StoreRestart(appe, rest);
                        }));
            } catch (IOException e) {
                LOG.debug("APPE/REST probe failed on {}: {}", session.description(), e.getMessage());
                result = ServerFeatures.StoreRestart.UNKNOWN;
            }
            features.storeRestart = result;
            return result;
        }
    }
}
