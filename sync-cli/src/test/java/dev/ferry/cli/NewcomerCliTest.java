package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer met in the first hour (issue 22): each message and exit code, the summary's
 * counts and JSON fields, and the smaller rough edges, against local folders and real servers.
 */
class NewcomerCliTest {

    @TempDir
    Path tmp;

    Path src;
    Path dst;
    final Map<String, String> env = new HashMap<>();


    @BeforeEach
    void setUp() throws IOException {
        src = Files.createDirectories(tmp.resolve("src"));
        dst = tmp.resolve("dst");
        env.put("XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
        write(src.resolve("a.txt"), "alpha");
        write(src.resolve("sub/b.txt"), "bravo!");
    }

    CliResult ferry(String... args) {
        return CliResult.run(env::get, args);
    }

    static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2024-01-02T03:04:05Z")));
    }

    private Path config(String text) throws IOException {
        Path conf = tmp.resolve("xdg/ferry/ferry.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, text);
        return conf;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        return (Map<String, Object>) MiniJson.parse(text.strip());
    }

    // --- 5. messages ------------------------------------------------------------------------

    @Test
    void anUnknownRemoteIsNamedAsARemoteWithTheConfigFileAndEveryRemoteInIt() throws IOException {
        Path conf = config("[backup]\nurl = " + dst + "\n[photos-ftp]\nurl = ftp://me@127.0.0.1/photos\n"
                + "password = env:PHOTOS_FTP_PASSWORD\n");
        CliResult r = ferry("ls", "nope:");
        assertThat(r.code()).as(r.all()).isEqualTo(2);
        assertThat(r.err()).contains("no remote named 'nope'").contains(conf.toString())
                .contains("backup").as("a remote whose env: variable is unset is listed too, with why")
                .contains("photos-ftp (unusable").contains("PHOTOS_FTP_PASSWORD")
                .doesNotContain("unknown scheme");
        Files.delete(conf);
        CliResult none = ferry("ls", "nope:x");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("no remote named 'nope'").contains("it defines no remotes");
    }

    @Test
    void aRemoteNameWithoutItsColonSaysSo() throws IOException {
        config("[photos-ftp]\nurl = " + dst + "\n");
        env.put("PWD", tmp.toString());
        CliResult r = ferry("ls", "photos-ftp");
        assertThat(r.code()).as(r.all()).isEqualTo(2);
        assertThat(r.err()).contains("write 'photos-ftp:' for the remote").doesNotContain("not found: file:");
        CliResult copy = ferry("copy", src.toString(), "photos-ftp");
        assertThat(copy.code()).isEqualTo(2);
        assertThat(copy.err()).startsWith("ferry: destination: ").contains("'photos-ftp:'");
    }

    @Test
    void everyZeroIsAUsageError() {
        CliResult r = ferry("copy", "--every", "0s", src.toString(), dst.toString());
        assertThat(r.code()).as(r.all()).isEqualTo(2);
        assertThat(r.err()).contains("--every must be longer than 0").doesNotContain("internal error");
        assertThat(dst).doesNotExist();
    }

    @Test
    void aBadConflictPolicyListsTheAllowedValuesWithoutAJavaName() {
        CliResult r = ferry("bisync", "--conflict", "bogus", src.toString(), dst.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("keep-both, newest, source-wins, destination-wins or stop")
                .doesNotContain("java.lang").doesNotContain("Exception");
        CliResult e = ferry("bisync", "--track-renames-strategy", "size", src.toString(), dst.toString());
        assertThat(e.code()).isEqualTo(2);
        assertThat(e.err()).contains("use hash or modtime").doesNotContain("java.lang");
    }

    @Test
    void checkRefusesTheRunOnlyOptionsTheDocsLeaveOutOfItsTable() {
        for (String[] opt : List.of(new String[] {"--every", "5s"}, new String[] {"--dry-run"},
                new String[] {"--transfers", "2"}, new String[] {"--bwlimit", "1M"})) {
            String[] args = Stream.concat(Stream.of("check"), Stream.concat(Stream.of(opt),
                    Stream.of(src.toString(), src.toString()))).toArray(String[]::new);
            CliResult r = ferry(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
        }
        assertThat(ferry("check", "--help").out()).doesNotContain("--transfers").contains("--checksum");
    }

    @Test
    void helpListsEveryExitCodeIncludingInterrupted() {
        CliResult r = ferry("sync", "--help");
        for (ExitCode c : ExitCode.values()) {
            assertThat(r.out()).containsPattern("(?m)^\\s+" + c.code() + "\\s+\\S");
        }
        assertThat(r.out()).contains("130").contains("Ctrl-C");
    }

    // --- 7. smaller edges -------------------------------------------------------------------

    @Test
    void lsIsSortedDirectoryByDirectory() throws IOException {
        write(src.resolve("zz.txt"), "z");
        write(src.resolve("b/m.txt"), "m");
        write(src.resolve("b/c.txt"), "c");
        write(src.resolve("0.txt"), "0");
        CliResult r = ferry("ls", src.toString());
        assertThat(r.code()).as(r.all()).isZero();
        List<String> paths = r.out().lines().map(l -> l.substring(l.lastIndexOf("  ") + 2)).toList();
        assertThat(paths).containsExactly("0.txt", "a.txt", "b/", "b/c.txt", "b/m.txt", "sub/", "sub/b.txt", "zz.txt");
    }

    @Test
    void backendsPrintsSizesAndDurationsAsTheyAreWritten() {
        CliResult r = ferry("backends");
        assertThat(r.out()).doesNotContain("PT1H").contains("(default 1h)")
                .as("a bare byte count is explained").contains("default 10 MiB");
    }

    @Test
    void equalContentWithAnotherTimeLocalToLocalIsCopiedAgainUnlessChecksumSaysEqual() throws IOException {
        // What the docs promise: between local folders (no listed hashes) a same-size file with
        // another time is copied again, as rsync does; --checksum finds it equal and copies nothing.
        assertThat(ferry("copy", src.toString(), dst.toString()).code()).isZero();
        Files.setLastModifiedTime(src.resolve("a.txt"), FileTime.from(Instant.parse("2025-05-05T05:05:05Z")));
        CliResult sum = ferry("copy", "--checksum", "--json", src.toString(), dst.toString());
        assertThat(json(sum.out())).containsEntry("filesCopied", 0L).containsEntry("modTimesUpdated", 0L);
        CliResult plain = ferry("copy", "--json", src.toString(), dst.toString());
        assertThat(json(plain.out())).containsEntry("filesCopied", 1L);
        assertThat(Files.getLastModifiedTime(dst.resolve("a.txt")).toInstant())
                .isEqualTo(Instant.parse("2025-05-05T05:05:05Z"));
    }

    @Test
    void sizeAndAgeFiltersLeaveNoEmptyDirectories() throws IOException {
        write(src.resolve("small/tiny.txt"), "t");
        Files.write(src.resolve("sub/big.bin"), new byte[4096]);
        CliResult r = ferry("copy", "--min-size", "2K", src.toString(), dst.toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(dst.resolve("sub/big.bin")).exists();
        assertThat(dst.resolve("small")).as("nothing in small/ passed the filter").doesNotExist();

        Path dst2 = tmp.resolve("dst2");
        CliResult age = ferry("copy", "--max-age", "1d", src.toString(), dst2.toString());
        assertThat(age.code()).as(age.all()).isZero();
        assertThat(dst2.resolve("small")).doesNotExist();
        assertThat(dst2.resolve("sub/big.bin")).as("written just now").exists();
        assertThat(dst2.resolve("sub/b.txt")).as("from 2024").doesNotExist();
    }

    // --- 2. summaries that tell the whole truth ---------------------------------------------

    @Test
    void aConflictIsCountedInTheSummaryAndTheJson() throws IOException {
        String state = tmp.resolve("state").toString();
        assertThat(ferry("bisync", "--state-dir", state, src.toString(), dst.toString()).code()).isZero();
        Files.writeString(src.resolve("a.txt"), "alpha from A");
        Files.writeString(dst.resolve("a.txt"), "alpha from B, later");
        CliResult r = ferry("bisync", "--state-dir", state, src.toString(), dst.toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("Conflicts:  1 (").contains("Moved:      0 files");

        Files.writeString(src.resolve("a.txt"), "again from A");
        Files.writeString(dst.resolve("a.txt"), "again from B, later!");
        CliResult j = ferry("bisync", "--json", "--state-dir", state, src.toString(), dst.toString());
        assertThat(json(j.out())).containsEntry("conflicts", 1L).containsEntry("filesMoved", 0L);

        CliResult check = ferry("check", src.toString(), dst.toString());
        assertThat(check.code()).as(check.all()).isZero();
    }

    @Test
    void aTrackedRenameIsCountedAsAMove() throws IOException {
        Files.write(src.resolve("photo.jpg"), new byte[10_000]);
        assertThat(ferry("sync", src.toString(), dst.toString()).code()).isZero();
        Files.move(src.resolve("photo.jpg"), src.resolve("renamed.jpg"));
        CliResult dry = ferry("sync", "--dry-run", "--track-renames", src.toString(), dst.toString());
        assertThat(dry.out()).contains("move 1 file");
        CliResult r = ferry("sync", "--track-renames", src.toString(), dst.toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("Moved:      1 file (").contains("Copied:     0 files");
        Files.move(src.resolve("renamed.jpg"), src.resolve("again.jpg"));
        CliResult j = ferry("sync", "--json", "--track-renames", src.toString(), dst.toString());
        assertThat(json(j.out())).containsEntry("filesMoved", 1L).containsEntry("filesCopied", 0L);
    }

    @Test
    void skippedNamesAndWithheldDeletionsAreCounted() throws IOException {
        Files.createSymbolicLink(src.resolve("link"), src.resolve("a.txt"));
        Files.createDirectories(dst);
        write(dst.resolve("extra.txt"), "only on dst");
        CliResult r = ferry("sync", "--max-delete", "0", src.toString(), dst.toString());
        assertThat(r.code()).as(r.all()).isEqualTo(3);
        assertThat(r.out()).contains("Skipped:    1 name").contains("Withheld:   1 deletion");
        CliResult j = ferry("sync", "--json", "--max-delete", "0", src.toString(), dst.toString());
        Map<String, Object> m = json(j.out());
        assertThat(m).containsEntry("skippedNames", 1L).containsEntry("withheldDeletions", 1L);
        CliResult dry = ferry("sync", "--dry-run", "--json", "--max-delete", "0", src.toString(), dst.toString());
        assertThat(json(dry.out())).containsEntry("withheldDeletions", 1L).containsEntry("skippedNames", 1L);
        assertThat(dst.resolve("extra.txt")).exists();
    }

    @Test
    void aTimeOnlyUpdateIsCountedAgainstS3() throws Exception {
        String s3 = "s3://" + CliServers.BUCKET + "/time-only?endpoint=" + CliServers.s3();
        String[] keys = {"--dst-opt", "accessKey=" + CliServers.S3_ACCESS_KEY, "--dst-opt",
            "secretKey=" + CliServers.S3_SECRET_KEY};
        CliResult first = ferry(concat(new String[] {"copy", src.toString(), s3}, keys));
        assertThat(first.code()).as(first.all()).isZero();
        Files.setLastModifiedTime(src.resolve("a.txt"), FileTime.from(Instant.parse("2025-05-05T05:05:05Z")));
        CliResult r = ferry(concat(new String[] {"copy", src.toString(), s3}, keys));
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("Updated:    1 modification time (same content").contains("Copied:     0 files");
        assertThat(r.all()).doesNotContain(CliServers.S3_SECRET_KEY);
    }

    @Test
    void checksumWithoutACommonHashWarnsOrRefuses() throws Exception {
        // rclone serve webdav keeps no hash Ferry can read (as Apache mod_dav, or FTP without HASH).
        org.junit.jupiter.api.Assumptions.assumeTrue(CliServers.hasRclone(),
                "rclone is not installed: no WebDAV server without hashes to compare against");
        String ftp = "webdav://" + CliServers.WEBDAV_USER + "@" + CliServers.webdavHostPort() + "/checksum-"
                + System.nanoTime();
        String[] pw = {"--dst-opt", "password=" + CliServers.WEBDAV_PASSWORD};
        CliResult r = ferry(concat(new String[] {"copy", "--checksum", src.toString(), ftp}, pw));
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("Warning: --checksum: ").contains("no hash in common")
                .contains("compared as without --checksum instead");
        CliResult j = ferry(concat(new String[] {"copy", "--checksum", "--json", src.toString(), ftp}, pw));
        assertThat((List<?>) json(j.out()).get("warnings")).singleElement().asString().contains("no hash in common");
        CliResult c = ferry(concat(new String[] {"check", "--checksum", "--json", src.toString(), ftp}, pw));
        assertThat((List<?>) json(c.out()).get("warnings")).hasSize(1);

        CliResult strict = ferry(concat(new String[] {"copy", "--checksum=strict", src.toString(), ftp + "-strict"}, pw));
        assertThat(strict.code()).as(strict.all()).isEqualTo(4);
        assertThat(strict.err()).contains("no hash in common").contains("--checksum=strict");
        assertThat(strict.all()).doesNotContain(CliServers.WEBDAV_PASSWORD);
        // Where a hash is common, strict runs.
        assertThat(ferry("copy", "--checksum=strict", src.toString(), dst.toString()).code()).isZero();
    }

    @Test
    void lsShowsS3TimesAndIsSorted() throws Exception {
        String s3 = "s3://" + CliServers.BUCKET + "/ls-times?endpoint=" + CliServers.s3();
        String[] keys = {"accessKey=" + CliServers.S3_ACCESS_KEY, "secretKey=" + CliServers.S3_SECRET_KEY};
        CliResult copy = ferry("copy", "--dst-opt", keys[0], "--dst-opt", keys[1], src.toString(), s3);
        assertThat(copy.code()).as(copy.all()).isZero();
        CliResult ls = ferry("ls", "--opt", keys[0], "--opt", keys[1], s3);
        assertThat(ls.code()).as(ls.all()).isZero();
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .withZone(java.time.ZoneId.systemDefault());
        String when = f.format(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(ls.out().lines().toList()).containsExactly(
                "           5  " + when + ".000  a.txt",
                "           -  -                        sub/",
                "           6  " + when + ".000  sub/b.txt");
        CliResult bare = ferry("ls", "--no-stat", "--opt", keys[0], "--opt", keys[1], s3);
        assertThat(bare.out()).doesNotContain(when);
    }

    static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
