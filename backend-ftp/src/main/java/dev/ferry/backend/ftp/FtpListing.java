package dev.ferry.backend.ftp;

import static dev.ferry.backend.ftp.FtpSession.child;
import static dev.ferry.backend.ftp.FtpSession.replyError;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import dev.ferry.backend.support.ConflictNames;
import dev.ferry.backend.support.TemporaryFiles;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Optional;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPListParseEngine;
import org.apache.commons.net.ftp.FTPReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One directory's listing: MLSD where FEAT offers it (times to the second, always UTC), else
 * LIST in Unix or Windows format in the configured server time zone (times to the minute;
 * entries old enough to show only a date get their time by MDTM, pipelined). Temporary names
 * are left out, and stale ones deleted once the listing is done.
 */
final class FtpListing {

    private static final Logger LOG = LoggerFactory.getLogger(FtpListing.class);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final FtpSession session;
    private final ServerFeatures features;
    private final FtpStat stat;

    FtpListing(FtpSession session, FtpStat stat) {
        this.session = session;
        this.stat = stat;
        this.features = session.features;
    }

    void list(SyncPath directory, ListingSink sink) throws IOException {
        String dir = session.abs(directory);
        String action = "list " + session.where(directory);
        Instant sweepBefore = Instant.now().minus(session.options.tempMaxAge());
        List<Entry> entries = new ArrayList<>();
        List<ListingNotice> notices = new ArrayList<>();
        TemporaryFiles[] temps = new TemporaryFiles[1];
        session.withConnection(action, true, c -> {
            entries.clear();
            notices.clear();
            temps[0] = new TemporaryFiles(sweepBefore); // a retry starts the listing over
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
                Calendar stamp = f.getTimestamp();
                if (temps[0].hide(name, Optional.ofNullable(stamp).map(Calendar::toInstant))) {
                    continue;
                }
                try {
                    SyncPath.checkName(name);
                } catch (IllegalArgumentException e) {
                    notices.add(ListingNotice.hostileName(directory, name, "in " + session.where(directory) + ": " + e.getMessage()));
                    continue;
                }
                SyncPath path = directory.child(name);
                if (f.isSymbolicLink()) {
                    notices.add(new ListingNotice(path.toString(), ListingNotice.Reason.SYMLINK,
                            "symbolic link on the server, not followed"));
                } else if (f.isDirectory()) {
                    entries.add(withMode(Entry.directory(path), f).build());
                } else if (f.isFile()) {
                    if (!mlsd && ListParser.dateOnly(f)) {
                        needTime.add(f);
                        continue;
                    }
                    entries.add(withMode(Entry.file(path, Math.max(0, f.getSize())), f)
                            .modTime(stamp == null ? null : stamp.toInstant())
                            .modTimePrecision(mlsd ? FtpStat.SECOND : MINUTE).build());
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
                entries.add(withMode(Entry.file(directory.child(f.getName()), Math.max(0, f.getSize())), f)
                        .modTime(t).modTimePrecision(exact.get(i) != null ? FtpStat.SECOND : Duration.ofDays(1)).build());
            }
            return null;
        });
        putBack(directory, dir, temps[0].asides(), entries);
        for (ListingNotice n : notices) {
            sink.notice(n);
        }
        for (Entry e : entries) {
            sink.entry(e);
        }
        for (String name : temps[0].stale()) {
            String s = child(dir, name);
            try {
                session.withConnection("delete a stale temporary file", true, c -> c.client.deleteFile(s));
            } catch (IOException e) {
                LOG.debug("cannot sweep {}: {}", s, e.getMessage());
            }
        }
    }

    /**
     * Puts back the user's files that a conditional write took aside and never restored (its
     * process died, its connection and the retry both failed): at their own name when this
     * listing does not have it, else under a conflict name; and lists them there, so a run never
     * takes such a file for deleted. Best effort: one that cannot be moved stays hidden, never
     * swept, and is tried again by the next listing.
     */
    private void putBack(SyncPath directory, String dir, List<String> asides, List<Entry> entries) {
        for (String aside : asides) {
            String original = TemporaryNames.asideOriginal(aside);
            java.util.Set<String> taken = new java.util.HashSet<>();
            entries.forEach(e -> taken.add(e.path().name()));
            String name = taken.contains(original)
                    ? ConflictNames.name(original, Instant.now(), FtpPublisher.CONFLICT_ID, taken::contains) : original;
            SyncPath path;
            try {
                path = directory.child(name);
            } catch (IllegalArgumentException e) {
                continue; // not a name this target would list; left hidden
            }
            String from = child(dir, aside);
            String to = child(dir, name);
            try {
                Optional<Entry> back = session.withConnection("put back " + to, true, c -> {
                    if (!c.client.rename(from, to)) {
                        throw replyError(c, "put back " + to);
                    }
                    return stat.statOn(c, path, to, "put back " + to);
                });
                back.ifPresent(entries::add);
                LOG.warn("{} was left aside by an interrupted write; put back as {}", from, to);
            } catch (IOException e) {
                LOG.warn("cannot put back {} (left aside by an interrupted write): {}", from, e.getMessage());
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
        try {
            return mlsdLines(c, action);
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            // Found by fuzzing: Commons Net's MLSx parser indexes past a short unix.mode fact
            // (unix.mode=7e) and parses size facts unchecked (size=-1 followed by NULs). The reply
            // is complete by then, so the connection stays usable.
            throw new dev.ferry.api.PermanentSyncException("cannot " + action + ": the server's MLSD listing has a "
                    + "malformed fact that Commons Net cannot read (" + e.getMessage() + ")", e);
        }
    }

    private FTPFile[] mlsdLines(FtpConnection c, String action) throws IOException {
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
                        ListingNotice.Reason.UNREADABLE, "in " + session.where(directory)
                                + ": a LIST line in no known format (Unix or Windows): " + line));
            }
        }
        return files;
    }

    /**
     * The listed mode, unless the server is known not to keep modes (whether they are real is
     * the SITE CHMOD probe's question: the engine uses them only where the target has the
     * {@code PosixModes} ability).
     */
    private Entry.Builder withMode(Entry.Builder b, FTPFile f) {
        if (features.chmod != ServerFeatures.Tri.NO) {
            ListParser.mode(f).ifPresent(b::mode);
        }
        return b;
    }
}
