package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.apache.commons.net.ftp.FTPClientConfig;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.parser.UnixFTPEntryParser;
import org.junit.jupiter.api.Test;

/**
 * The hand-written fast path for {@code ls -l} lines gives exactly what Commons Net's Unix
 * parser gives, and steps aside (null) for everything it does not handle.
 */
class ListParserTest {

    private static final List<String> LINES = List.of(
            "-rw-r--r--    1 103      65534        1024 Jan 01  2024 f00000.bin",
            "-rw-r--r--    1 ftp      ftp      12345678 Dec 31  1999 old file.txt",
            "drwxr-xr-x    2 103      65534        4096 Nov 22 21:07 sub dir",
            "-rw-r--r--    1 103      65534           0 Feb 29 10:00 leap.txt",
            "-rw-r--r--    1 103      65534           7 Nov 23 23:59 tomorrow.txt",
            "-rw-r--r--    1 103      65534           7 Nov 25 00:00 next week.txt",
            "-rw-r--r--    1 103      65534           7 Mar  3 04:05 trailing space ",
            "-rw-r--r--    1 103      65534           7 Mar  3 04:05 ünïcödé 日本.txt",
            "-rw-r--r--    1 103      65534           7 Mar  3 04:05 a -> b",
            "-rw-r--r--+   1 103      65534           7 Mar  3  2020 acl.txt",
            "-rw-r--r--    1 103      65534           7 Mar  3  2020 .ferry-0123456789ab.x.partial");

    @Test
    void sameAsCommonsNet() {
        for (String zoneId : List.of("UTC", "Europe/Berlin", "America/Los_Angeles", "Pacific/Kiritimati")) {
            ZoneId zone = ZoneId.of(zoneId);
            FTPClientConfig config = new FTPClientConfig(FTPClientConfig.SYST_UNIX);
            config.setServerTimeZoneId(zoneId);
            UnixFTPEntryParser reference = new UnixFTPEntryParser(config);
            ZonedDateTime now = ZonedDateTime.now(zone);
            for (String line : LINES) {
                FTPFile fast = ListParser.fastUnix(line, zone, now);
                FTPFile slow = reference.parseFTPEntry(line);
                if (fast == null) {
                    continue; // left to Commons Net: nothing to compare
                }
                assertThat(fast.getName()).as(line).isEqualTo(slow.getName());
                assertThat(fast.getType()).as(line).isEqualTo(slow.getType());
                assertThat(fast.getSize()).as(line).isEqualTo(slow.getSize());
                assertThat(fast.getTimestamp().toInstant()).as(line + " in " + zoneId)
                        .isEqualTo(slow.getTimestamp().toInstant());
                assertThat(ListParser.dateOnly(fast)).isEqualTo(ListParser.dateOnly(slow));
            }
        }
    }

    @Test
    void everythingUnusualIsLeftToCommonsNet() {
        ZoneId utc = ZoneId.of("UTC");
        ZonedDateTime now = ZonedDateTime.now(utc);
        assertThat(ListParser.fastUnix("lrwxrwxrwx    1 0 0 7 Mar  3 04:05 link -> target", utc, now)).isNull();
        assertThat(ListParser.fastUnix("crw-rw-rw-    1 0 0 1, 3 Mar  3 04:05 null", utc, now)).isNull();
        assertThat(ListParser.fastUnix("-rw-r--r--    1 0 0 7 Mar  3 04:05  leading space", utc, now)).isNull();
        assertThat(ListParser.fastUnix("-rw-r--r--    1 0 7 Mar  3 04:05 no-group", utc, now)).isNull();
        assertThat(ListParser.fastUnix("-rw-r--r--    1 0 0 7 Feb 29  2023 not-a-leap-year", utc, now)).isNull();
        assertThat(ListParser.fastUnix("-rw-r--r--    1 0 0 7 Mär  3 04:05 german-month", utc, now)).isNull();
        assertThat(ListParser.fastUnix("-rw-r--r--    1 0 0 7 Mar  3 4:05 short-time", utc, now)).isNull();
        assertThat(ListParser.fastUnix("01-02-24  10:00AM       <DIR>          Windows", utc, now)).isNull();
        assertThat(ListParser.fastUnix("-rw-r--r--    1 0 0 7 Mar  3 04:05 ", utc, now)).isNull();
    }

    @Test
    void modesComeFromUnixModeFactsAndListLetters() {
        FTPFile mlsd = new FTPFile();
        mlsd.setRawListing("modify=20240102030405;perm=adfrw;size=3;type=file;unix.mode=0640;unix.owner=1; a.txt");
        assertThat(ListParser.mode(mlsd)).hasValue(0640);
        FTPFile noFact = new FTPFile();
        noFact.setRawListing("modify=20240102030405;perm=adfrw;size=3;type=file; a.txt");
        assertThat(ListParser.mode(noFact)).isEmpty();
        FTPFile list = new FTPFile();
        list.setRawListing("-rwxr-x--x    1 1000     1000            3 Jan 02 03:04 run.sh");
        assertThat(ListParser.mode(list)).hasValue(0751);
        list.setRawListing("drwxrwsr-t    2 0        0            4096 Jan 02 03:04 shared");
        assertThat(ListParser.mode(list)).hasValue(03775);
        list.setRawListing("-rwSr--r--    1 0        0               3 Jan 02 03:04 odd");
        assertThat(ListParser.mode(list)).hasValue(04644);
        list.setRawListing("-rw?r--r--    1 0        0               3 Jan 02 03:04 bad");
        assertThat(ListParser.mode(list)).isEmpty();
    }
}
