package dev.ferry.backend.ftp;

import static dev.ferry.backend.ftp.FtpSession.child;
import static dev.ferry.backend.ftp.FtpSession.replyError;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.TransientSyncException;
import dev.ferry.backend.support.ConflictNames;
import dev.ferry.backend.support.TemporaryFiles;
import dev.ferry.backend.support.TemporaryNames;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPCmd;
import org.apache.commons.net.ftp.FTPFileEntryParser;
import org.apache.commons.net.ftp.parser.MLSxEntryParser;
import org.apache.commons.net.util.Charsets;
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
        FtpSession.Op<Void> listing = c -> {
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
            List<FTPFile> needTime = new ArrayList<>();
            // Each line parsed as it arrives and kept only as an entry: Commons Net's listing calls
            // hold every line, then every parsed file (a Calendar each), over 2 KiB per file.
            Consumer<FTPFile> each = f -> {
                Entry e = entry(f, directory, mlsd, temps[0], notices, needTime);
                if (e != null) {
                    entries.add(e);
                }
            };
            if (mlsd) {
                mlsd(c, action, each);
            } else {
                list(c, action, directory, notices, each);
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
        };
        try {
            session.withConnection(action, true, listing);
        } catch (ListingCut e) {
            // Once more at once: a cut rarely strikes twice, and a server that ends its last line
            // without a line end sends the same bytes again and is then believed.
            session.withConnection(action, true, listing);
        }
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

    /** One listed file as an entry; null for what is hidden, noticed or timed later (needTime). */
    private Entry entry(FTPFile f, SyncPath directory, boolean mlsd, TemporaryFiles temps, List<ListingNotice> notices,
            List<FTPFile> needTime) {
        if (f == null || f.getName() == null) {
            return null;
        }
        String name = f.getName();
        if (name.equals(".") || name.equals("..")) {
            return null;
        }
        Calendar stamp = f.getTimestamp();
        if (temps.hide(name, Optional.ofNullable(stamp).map(Calendar::toInstant))) {
            return null;
        }
        try {
            SyncPath.checkName(name);
        } catch (IllegalArgumentException e) {
            notices.add(ListingNotice.hostileName(directory, name, "in " + session.where(directory) + ": " + e.getMessage()));
            return null;
        }
        SyncPath path = directory.child(name);
        if (f.isSymbolicLink()) {
            notices.add(new ListingNotice(path.toString(), ListingNotice.Reason.SYMLINK,
                    "symbolic link on the server, not followed"));
        } else if (f.isDirectory()) {
            return withMode(Entry.directory(path), f).build();
        } else if (f.isFile()) {
            if (!mlsd && ListParser.dateOnly(f)) {
                needTime.add(f);
                return null;
            }
            return withMode(Entry.file(path, Math.max(0, f.getSize())), f)
                    .modTime(stamp == null ? null : stamp.toInstant())
                    .modTimePrecision(mlsd ? FtpStat.SECOND : MINUTE).build();
        } else {
            notices.add(new ListingNotice(path.toString(), ListingNotice.Reason.SPECIAL_FILE,
                    "neither a file nor a directory on the server: not synced"));
        }
        return null;
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
    private void mlsd(FtpConnection c, String action, Consumer<FTPFile> each) throws IOException {
        FTPFileEntryParser parser = MLSxEntryParser.getInstance();
        if (features.mlsdDashA != ServerFeatures.Tri.NO) {
            if (stream(c, FTPCmd.MLSD, "-a", parser, action, each)) {
                features.mlsdDashA = ServerFeatures.Tri.YES;
                return;
            }
            int code = c.client.getReplyCode();
            if (features.mlsdDashA == ServerFeatures.Tri.YES || code < 500) {
                throw replyError(c, action);
            }
            features.mlsdDashA = ServerFeatures.Tri.NO;
        }
        if (!stream(c, FTPCmd.MLSD, null, parser, action, each)) {
            throw replyError(c, action);
        }
    }

    /** LIST -a of the working directory; lines in no known format become notices. */
    private void list(FtpConnection c, String action, SyncPath directory, List<ListingNotice> notices,
            Consumer<FTPFile> each) throws IOException {
        ListParser parser = c.parsers.parser();
        if (!stream(c, FTPCmd.LIST, null, parser, action, each)) {
            throw replyError(c, action);
        }
        for (String line : parser.takeUnparsed()) {
            notices.add(new ListingNotice(directory.isRoot() ? line : directory + "/" + line,
                    ListingNotice.Reason.UNREADABLE, "in " + session.where(directory)
                            + ": a LIST line in no known format (Unix or Windows): " + line));
        }
    }

    /**
     * Reads a listing's data connection line by line, handing each parsed file on; false when the
     * server refused the command or did not complete it (its reply code says which).
     */
    private boolean stream(FtpConnection c, FTPCmd command, String arg, FTPFileEntryParser parser, String action,
            Consumer<FTPFile> each) throws IOException {
        Socket data = ((StreamedListing) c.client).openListing(command, arg);
        if (data == null) {
            return false;
        }
        Tail tail;
        String unended = null; // a last line without a line end: parsed only once believed
        try (data; Tail t = new Tail(data.getInputStream()); BufferedReader lines = new BufferedReader(
                new InputStreamReader(t, Charsets.toCharset(c.client.getControlEncoding())))) {
            tail = t;
            for (String line = parser.readNextEntry(lines); line != null; line = parser.readNextEntry(lines)) {
                if (t.eof && t.endsMidLine()) {
                    unended = line;
                    break;
                }
                each.accept(parse(parser, line, command, action));
            }
        } catch (IOException | RuntimeException e) {
            c.markBroken(); // the command's final reply is unread: the connection is out of step
            throw e;
        }
        boolean completed = c.client.completePendingCommand();
        if (completed) {
            checkEnd(tail, action);
            if (unended != null) {
                each.accept(parse(parser, unended, command, action));
            }
        }
        return completed;
    }

    /**
     * A listing has no length: one whose data connection was cut after the server had sent it
     * all ends early with the server's "226 complete". Every line of a listing ends with a line
     * end, so one that stops mid-line was cut, and is an error the engine retries (a short
     * listing believed would be files deleted by a mirror or a two-way run). A server that ends
     * its last line without one is believed once it sends the very same bytes twice.
     */
    private void checkEnd(Tail tail, String action) throws IOException {
        if (!tail.endsMidLine()) {
            unterminated.remove(action);
            return;
        }
        Long before = unterminated.put(action, tail.count);
        if (before == null || before != tail.count) {
            throw new ListingCut("cannot " + action + ": its listing stopped in the middle of a line after "
                    + tail.count + " bytes (the data connection was cut)");
        }
        unterminated.remove(action);
    }

    /** Listings (by action) that ended without a line end, and their length: see {@link #checkEnd}. */
    private final Map<String, Long> unterminated = new ConcurrentHashMap<>();

    /** A listing that ended mid-line: see {@link #checkEnd}. */
    private static final class ListingCut extends TransientSyncException {
        private static final long serialVersionUID = 1L;

        ListingCut(String message) {
            super(message);
        }
    }

    /** Counts a listing's bytes and keeps its last one. */
    private static final class Tail extends FilterInputStream {
        long count;
        int last = -1;
        boolean eof;

        Tail(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
                last = b;
            } else {
                eof = true;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count += n;
                last = buf[off + n - 1];
            } else if (n < 0) {
                eof = true;
            }
            return n;
        }

        boolean endsMidLine() {
            return count > 0 && last != '\n';
        }
    }

    private static FTPFile parse(FTPFileEntryParser parser, String line, FTPCmd command, String action)
            throws IOException {
        try {
            return parser.parseFTPEntry(line);
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            if (command != FTPCmd.MLSD) {
                throw e;
            }
            // Found by fuzzing: Commons Net's MLSx parser indexes past a short unix.mode fact
            // (unix.mode=7e) and parses size facts unchecked (size=-1 followed by NULs).
            throw new dev.ferry.api.PermanentSyncException("cannot " + action + ": the server's MLSD listing has a "
                    + "malformed fact that Commons Net cannot read (" + e.getMessage() + ")", e);
        }
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
