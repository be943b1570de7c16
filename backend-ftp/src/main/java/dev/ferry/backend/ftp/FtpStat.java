package dev.ferry.backend.ftp;

import static dev.ferry.backend.ftp.FtpSession.replyError;

import dev.ferry.api.Entry;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Calendar;
import java.util.Optional;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;

/**
 * What one path holds, asked on a connection the caller already has: MLST where offered
 * (checked against the name asked for), else MDTM + SIZE for files and CWD for directories.
 * Also SIZE alone, for the temporary files of uploads.
 */
final class FtpStat {

    static final Duration SECOND = Duration.ofSeconds(1);

    private final FtpSession session;
    private final ServerFeatures features;

    FtpStat(FtpSession session) {
        this.session = session;
        this.features = session.features;
    }

    /** The entry at {@code path} on a connection of its own; a temporary name is never stat'ed. */
    Optional<Entry> stat(SyncPath path) throws IOException {
        if (!path.isRoot() && TemporaryNames.isTemporary(path.name())) {
            return Optional.empty();
        }
        String p = session.abs(path);
        String action = "stat " + session.where(path);
        return session.withConnection(action, true, c -> statOn(c, path, p, action));
    }

    /** The entry at {@code p} (absolute), described as {@code path}; empty if nothing is there. */
    Optional<Entry> statOn(FtpConnection c, SyncPath path, String p, String action) throws IOException {
        String name = path.isRoot() ? null : path.name();
        return statOn(c, path, p, name, action);
    }

    /**
     * The entry at {@code p} (absolute), whose last segment is {@code name} (null for the root),
     * described as {@code path}: a file taken aside under a temporary name is stat'ed as the file
     * it was.
     */
    Optional<Entry> statOn(FtpConnection c, SyncPath path, String p, String name, String action) throws IOException {
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
            if (name != null && !gotName.equals(name)) {
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

    /** SIZE (or MLST where SIZE is missing) of a file; empty if there is none. */
    Optional<Long> sizeOn(FtpConnection c, String p, String action) throws IOException {
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
}
