package dev.ferry.backend.ftp;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
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

    private final FTPFileEntryParser unix;
    private final FTPFileEntryParser windows;
    private final List<String> unparsed = new ArrayList<>();

    ListParser(ZoneId zone) {
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
        FTPFile f = unix.parseFTPEntry(entry);
        if (f == null) {
            f = windows.parseFTPEntry(entry);
        }
        if (f == null || f.getName() == null) {
            unparsed.add(entry);
            return null;
        }
        return f;
    }

    /** Lines of the last listing that matched no format; clears the list. */
    List<String> takeUnparsed() {
        List<String> out = new ArrayList<>(unparsed);
        unparsed.clear();
        return out;
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

        ListParser parser() {
            return last;
        }
    }
}
