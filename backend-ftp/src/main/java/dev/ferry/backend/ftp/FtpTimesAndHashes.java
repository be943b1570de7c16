package dev.ferry.backend.ftp;

import static dev.ferry.backend.ftp.FtpSession.replyError;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.net.ftp.FTPReply;

/**
 * Modification times (MFMT, or two-argument MDTM where the probe showed it works) and the
 * server's hashes (HASH, XMD5, XSHA1, XSHA256, XCRC, MD5: only what FEAT advertises).
 */
final class FtpTimesAndHashes {

    static final DateTimeFormatter FTP_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final FtpSession session;
    private final FtpStat stat;
    private final FeatureProbe probe;

    FtpTimesAndHashes(FtpSession session, FtpStat stat, FeatureProbe probe) {
        this.session = session;
        this.stat = stat;
        this.probe = probe;
    }

    /** Sets the time of {@code p} (absolute) to {@code t}, whole seconds. */
    void setTimeOn(FtpConnection c, String p, Instant t, String action) throws IOException {
        String stamp = FTP_TIME.format(t);
        boolean ok;
        if (session.features.mfmt()) {
            ok = c.client.setModificationTime(p, stamp);
        } else {
            ok = FTPReply.isPositiveCompletion(c.command("MDTM", stamp + " " + p));
        }
        if (!ok) {
            throw replyError(c, action + " (setting the modification time)");
        }
    }

    Entry setModTime(SyncPath path, Instant modTime) throws IOException {
        Instant t = modTime.truncatedTo(ChronoUnit.SECONDS);
        String p = session.abs(path);
        String action = "set the modification time of " + session.where(path);
        if (!probe.capabilities().keepsModTime()) {
            throw new PermanentSyncException("cannot " + action + ": the server offers neither MFMT nor two-argument MDTM");
        }
        return session.withConnection(action, true, c -> {
            setTimeOn(c, p, t, action);
            return stat.statOn(c, path, p, action)
                    .orElseThrow(() -> new NotFoundException("cannot " + action + ": no such file"));
        });
    }

    Optional<String> hash(SyncPath path, HashAlgorithm algorithm) throws IOException {
        String command = session.features.hashCommands().get(algorithm);
        if (command == null) {
            return Optional.empty();
        }
        String p = session.abs(path);
        String action = "hash " + session.where(path);
        return session.withConnection(action, true, c -> {
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
}
