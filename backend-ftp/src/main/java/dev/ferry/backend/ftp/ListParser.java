package dev.ferry.backend.ftp;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTPClientConfig;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPFileEntryParser;
import org.apache.commons.net.ftp.FTPFileEntryParserImpl;
import org.apache.commons.net.ftp.parser.FTPFileEntryParserFactory;
import org.apache.commons.net.ftp.parser.NTFTPEntryParser;
import org.apache.commons.net.ftp.parser.UnixFTPEntryParser;

/**
 * Parses LIST lines in Unix ({@code ls -l}) or Windows/IIS ({@code MM-dd-yy hh:mma}) format, in
 * the configured server time zone, and remembers the lines it could not parse so the listing can
 * report them instead of silently dropping entries.
 */
final class ListParser extends FTPFileEntryParserImpl {

    private static final Pattern TOTAL = Pattern.compile("\\s*total\\s+\\d+\\s*", Pattern.CASE_INSENSITIVE);
    /** A Unix line whose date has a year instead of a time of day: precise to the day only. */
    private static final Pattern DATE_ONLY = Pattern.compile("\\s[A-Za-z]{3}\\s+\\d{1,2}\\s+\\d{4}\\s");

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private final ZoneId zone;
    private final FTPFileEntryParser unix;
    private final FTPFileEntryParser windows;
    private final List<String> unparsed = new ArrayList<>();

    ListParser(ZoneId zone) {
        this.zone = zone;
        FTPClientConfig unixConfig = new FTPClientConfig(FTPClientConfig.SYST_UNIX);
        unixConfig.setServerTimeZoneId(zone.getId());
        FTPClientConfig ntConfig = new FTPClientConfig(FTPClientConfig.SYST_NT);
        ntConfig.setServerTimeZoneId(zone.getId());
        this.unix = new UnixFTPEntryParser(unixConfig);
        this.windows = new NTFTPEntryParser(ntConfig);
    }

    @Override
    public FTPFile parseFTPEntry(String entry) {
        if (entry == null || entry.isBlank() || TOTAL.matcher(entry).matches()) {
            return null;
        }
        FTPFile f;
        try {
            f = fastUnix(entry, zone, ZonedDateTime.now(zone));
            if (f == null) {
                f = unix.parseFTPEntry(entry);
            }
            if (f == null) {
                f = windows.parseFTPEntry(entry);
            }
        } catch (NumberFormatException e) {
            // A number too long for its field (found by fuzzing: a 62-digit count) is an unreadable
            // line like any other, not a failed listing.
            f = null;
        }
        if (f == null || f.getName() == null) {
            unparsed.add(entry);
            return null;
        }
        return f;
    }

    /**
     * The common case, a plain file or directory in {@code ls -l} format ({@code -rw-r--r-- 1 ftp
     * ftp 1024 Jan 01 2024 name} or with {@code HH:MM} instead of the year), read without
     * regular expressions or {@code SimpleDateFormat}: Commons Net's Unix parser costs about
     * 50 µs a line in a fresh JVM, half a second for 10,000 entries of a no-op sync. The result
     * is the one Commons Net gives (a year-less date is this year's, or last year's if that
     * would be more than a day ahead of {@code now}, as with its lenient future dates); anything
     * else (links, devices, a name starting with a space, an impossible date, another layout)
     * gives null and goes to Commons Net.
     */
    static FTPFile fastUnix(String line, ZoneId zone, ZonedDateTime now) {
        int len = line.length();
        if (len < 20 || line.charAt(0) != '-' && line.charAt(0) != 'd') {
            return null;
        }
        for (int k = 0; k < len; k++) {
            char ch = line.charAt(k);
            // Control characters (tabs and CR split fields or end Commons Net's name) and the
            // other line terminators: Commons Net decides. Found by fuzzing: a CR in the name.
            if (ch < 0x20 || ch == 0x85 || ch == 0x2028 || ch == 0x2029) {
                return null;
            }
        }
        int[] bounds = new int[16];
        int i = 0;
        for (int field = 0; field < 8; field++) {
            while (i < len && line.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < len && line.charAt(i) != ' ') {
                i++;
            }
            if (start == i) {
                return null;
            }
            bounds[2 * field] = start;
            bounds[2 * field + 1] = i;
        }
        // Exactly one space, then the name, which may hold any character but may not start with a space.
        if (i + 1 >= len || line.charAt(i) != ' ' || line.charAt(i + 1) == ' ') {
            return null;
        }
        String name = line.substring(i + 1);
        if (hasSpaceThenDigit(name)) {
            // The name could hold a later size-date-time run ("a 0 7 Feb 29 2023f2"); Commons Net
            // then splits there (its user and group may contain spaces). Found by fuzzing: let it.
            return null;
        }
        int permsLength = bounds[1] - bounds[0];
        long links = digits(line, bounds[2], bounds[3]);
        long size = digits(line, bounds[8], bounds[9]);
        int month = bounds[11] - bounds[10] == 3 ? MONTHS.indexOf(line.substring(bounds[10], bounds[11])) : -1;
        long day = bounds[13] - bounds[12] <= 2 ? digits(line, bounds[12], bounds[13]) : -1;
        if (permsLength < 10 || permsLength > 11 || !permissions(line, permsLength) || links < 0 || size < 0
                || month < 0 || month % 3 != 0 || day < 1) {
            return null;
        }
        int m = month / 3 + 1;
        ZonedDateTime when;
        try {
            int t = bounds[14];
            int tLen = bounds[15] - t;
            if (tLen == 4) {
                long year = digits(line, t, t + 4);
                if (year < 0) {
                    return null;
                }
                when = java.time.LocalDate.of((int) year, m, (int) day).atStartOfDay(zone);
            } else if (tLen == 5 && line.charAt(t + 2) == ':') {
                long hh = digits(line, t, t + 2);
                long mm = digits(line, t + 3, t + 5);
                if (hh < 0 || mm < 0) {
                    return null;
                }
                ZonedDateTime limit = now.plusDays(1);
                when = java.time.LocalDateTime.of(limit.getYear(), m, (int) day, (int) hh, (int) mm).atZone(zone);
                if (when.isAfter(limit)) {
                    when = when.minusYears(1);
                }
            } else {
                return null;
            }
        } catch (java.time.DateTimeException e) {
            return null; // Feb 29 in another year, hour 25...: Commons Net decides
        }
        FTPFile f = new FTPFile();
        f.setRawListing(line);
        f.setType(line.charAt(0) == 'd' ? FTPFile.DIRECTORY_TYPE : FTPFile.FILE_TYPE);
        f.setHardLinkCount((int) Math.min(Integer.MAX_VALUE, links));
        f.setUser(line.substring(bounds[4], bounds[5]));
        f.setGroup(line.substring(bounds[6], bounds[7]));
        f.setSize(size);
        f.setName(name);
        Calendar c = Calendar.getInstance(TimeZone.getTimeZone(zone));
        c.setTimeInMillis(when.toInstant().toEpochMilli());
        f.setTimestamp(c);
        return f;
    }

    private static boolean hasSpaceThenDigit(String name) {
        for (int k = name.indexOf(' '); k >= 0 && k + 1 < name.length(); k = name.indexOf(' ', k + 1)) {
            char next = name.charAt(k + 1);
            if (next >= '0' && next <= '9') {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the permission letters are ones Commons Net's Unix parser takes ({@code rwx} or
     * {@code -} in place, s/S/t/T/L for x, an optional ACL {@code +}); found by fuzzing: without
     * this check {@code drwxx-xr-x} was read here although Commons Net refuses it.
     */
    private static boolean permissions(String line, int length) {
        for (int i = 1; i < 10; i++) {
            char c = line.charAt(i);
            String allowed = switch (i % 3) {
                case 1 -> "r-";
                case 2 -> "w-";
                default -> "xsStTL-";
            };
            if (allowed.indexOf(c) < 0) {
                return false;
            }
        }
        return length == 10 || line.charAt(10) == '+';
    }

    /** The non-negative number {@code s[from, to)} spells in ASCII digits, or -1. */
    private static long digits(String s, int from, int to) {
        if (to <= from || to - from > 18) {
            return -1;
        }
        long n = 0;
        for (int k = from; k < to; k++) {
            char ch = s.charAt(k);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            n = n * 10 + (ch - '0');
        }
        return n;
    }

    /** Lines of the last listing that matched no format; clears the list. */
    List<String> takeUnparsed() {
        List<String> out = new ArrayList<>(unparsed);
        unparsed.clear();
        return out;
    }

    /**
     * An RFC 3659 time-val, {@code YYYYMMDDHHMMSS[.sss]}, always UTC (MDTM's reply, MLSx's
     * {@code modify}), year 1000 to 9999; null if it is not one. Written out by hand: Commons Net's
     * {@code parseGmtInstant} builds a {@code SimpleDateFormat} per call (about 15 µs warm, far
     * more in a fresh JVM), and a LIST server's older entries each need an MDTM.
     */
    static java.time.Instant parseTimeVal(String s) {
        if (s == null) {
            return null;
        }
        String v = s.trim();
        int len = v.length();
        if (len < 14 || len > 14 && (v.charAt(14) != '.' || len == 15)) {
            return null;
        }
        for (int i = 0; i < len; i++) {
            if (i != 14 && (v.charAt(i) < '0' || v.charAt(i) > '9')) {
                return null;
            }
        }
        try {
            int nanos = 0;
            if (len > 15) {
                String frac = v.substring(15, Math.min(len, 24));
                nanos = Integer.parseInt(frac) * (int) Math.pow(10, 9 - frac.length());
            }
            int year = num(v, 0, 4);
            if (year < 1000) {
                return null; // RFC 3659's range is 1000-9999 (found by fuzzing: year 0000)
            }
            return java.time.LocalDateTime.of(year, num(v, 4, 6), num(v, 6, 8), num(v, 8, 10), num(v, 10, 12),
                    num(v, 12, 14), nanos).toInstant(java.time.ZoneOffset.UTC);
        } catch (java.time.DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    private static int num(String s, int from, int to) {
        return Integer.parseInt(s, from, to, 10);
    }

    /**
     * The POSIX mode a listing line tells: MLSx's {@code unix.mode} fact, or the permission
     * letters of a Unix LIST line ({@code -rwxr-xr-x}, with s/S/t/T). Empty where the line has
     * neither. Whether the server's modes are real is the {@code SITE CHMOD} probe's question.
     */
    static java.util.OptionalInt mode(FTPFile f) {
        String raw = f.getRawListing();
        if (raw == null) {
            return java.util.OptionalInt.empty();
        }
        String lower = raw.toLowerCase(java.util.Locale.ROOT);
        int at = lower.indexOf("unix.mode=");
        if (at >= 0 && (at == 0 || lower.charAt(at - 1) == ';' || lower.charAt(at - 1) == ' ')) {
            int end = lower.indexOf(';', at);
            String v = raw.substring(at + "unix.mode=".length(), end < 0 ? raw.length() : end).trim();
            try {
                return v.isEmpty() || v.length() > 6 ? java.util.OptionalInt.empty()
                        : java.util.OptionalInt.of(Integer.parseInt(v, 8) & 07777);
            } catch (NumberFormatException e) {
                return java.util.OptionalInt.empty();
            }
        }
        if (raw.length() < 10 || "-dl".indexOf(raw.charAt(0)) < 0) {
            return java.util.OptionalInt.empty();
        }
        int mode = 0;
        for (int i = 0; i < 9; i++) {
            char ch = raw.charAt(1 + i);
            int shift = 8 - i;
            int kind = i % 3; // r, w, x
            char plain = "rwx".charAt(kind);
            if (ch == plain) {
                mode |= 1 << shift;
            } else if (kind == 2 && (ch == 's' || ch == 't')) {
                mode |= 1 << shift;
                mode |= i == 2 ? 04000 : i == 5 ? 02000 : 01000;
            } else if (kind == 2 && (ch == 'S' || ch == 'T')) {
                mode |= i == 2 ? 04000 : i == 5 ? 02000 : 01000;
            } else if (ch != '-') {
                return java.util.OptionalInt.empty();
            }
        }
        return java.util.OptionalInt.of(mode);
    }

    /** Whether a parsed line only gave the day (old Unix entries show the year instead of hh:mm). */
    static boolean dateOnly(FTPFile f) {
        String raw = f.getRawListing();
        return raw != null && DATE_ONLY.matcher(raw).find();
    }

    /** Hands every connection its own parser. */
    static final class Factory implements FTPFileEntryParserFactory {
        private final ZoneId zone;
        private ListParser last;

        Factory(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public FTPFileEntryParser createFileEntryParser(String key) {
            last = new ListParser(zone);
            return last;
        }

        @Override
        public FTPFileEntryParser createFileEntryParser(FTPClientConfig config) {
            return createFileEntryParser(config.getServerSystemKey());
        }

        /** This connection's parser, made on first use. */
        ListParser parser() {
            return last != null ? last : (ListParser) createFileEntryParser("ferry");
        }
    }
}
