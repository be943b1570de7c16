package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code ferry} in-process on temporary trees: wiring, parsing, output and exit codes. */
class FerryCliTest {

    @TempDir
    Path tmp;

    Path src;
    Path dst;
    /** The environment the CLI sees: no real config file is ever read. */
    final Map<String, String> env = new HashMap<>();


    @BeforeEach
    void setUp() throws IOException {
        src = Files.createDirectories(tmp.resolve("src"));
        dst = tmp.resolve("dst");
        env.put("XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
        write(src.resolve("a.txt"), "alpha");
        write(src.resolve("sub/b.txt"), "bravo!");
        write(src.resolve("sub/deeper/c.jpg"), "charlie");
    }

    CliResult ferry(String... args) {
        return CliResult.run(env::get, args);
    }

    static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        // A fixed time in the past, so size+mtime comparison is deterministic.
        Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2024-01-02T03:04:05Z")));
    }

    static String read(Path p) throws IOException {
        return Files.readString(p);
    }

    // --- bisync ------------------------------------------------------------------------------

    @Test
    void bisyncMergesThenCarriesChangesBothWaysAndKeepsBothVersionsOfAConflict() throws IOException {
        String state = tmp.resolve("state").toString();
        Files.createDirectories(dst);
        write(dst.resolve("only-b.txt"), "from B");
        CliResult first = ferry("bisync", "--state-dir", state, src.toString(), dst.toString());
        assertThat(first.code()).as(first.all()).isZero();
        assertThat(read(src.resolve("only-b.txt"))).isEqualTo("from B");
        assertThat(read(dst.resolve("sub/deeper/c.jpg"))).isEqualTo("charlie");

        Files.delete(dst.resolve("only-b.txt"));
        Files.writeString(src.resolve("a.txt"), "alpha from A");
        Files.writeString(dst.resolve("a.txt"), "alpha from B, later");
        Files.setLastModifiedTime(dst.resolve("a.txt"), FileTime.from(Instant.parse("2025-01-01T00:00:00Z")));
        Files.setLastModifiedTime(src.resolve("a.txt"), FileTime.from(Instant.parse("2024-06-01T00:00:00Z")));
        CliResult plan = ferry("bisync", "--dry-run", "--state-dir", state, src.toString(), dst.toString());
        assertThat(plan.out()).contains("delete only-b.txt on A").contains("move   a.txt to a.sync-conflict-")
                .contains("copy   a.txt").contains("→ A");
        assertThat(plan.out()).as("a conflict's rename is a move, not a deleted directory")
                .contains("keep 1 conflict copy").contains("delete 1 file and 0 directories");
        CliResult second = ferry("bisync", "--state-dir", state, src.toString(), dst.toString());
        assertThat(second.code()).as(second.all()).isZero();
        assertThat(src.resolve("only-b.txt")).doesNotExist();
        assertThat(read(src.resolve("a.txt"))).isEqualTo("alpha from B, later");
        try (var files = Files.list(dst)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .anySatisfy(n -> assertThat(n).matches("a\\.sync-conflict-\\d{8}-\\d{6}-[A-Z2-7]{7}\\.txt"));
        }
        CliResult check = ferry("check", src.toString(), dst.toString());
        assertThat(check.code()).as(check.all()).isZero();
    }

    @Test
    void bwlimitHoldsForLocalToLocalCopies() throws IOException {
        // 1 MiB at 256 KiB/s: about 3.75 s after the limiter's quarter second of burst. Before the
        // fix the in-kernel copy sent a file of up to 8 MiB at full speed.
        byte[] data = new byte[1 << 20];
        new java.util.Random(7).nextBytes(data);
        Files.write(src.resolve("big.bin"), data);
        long t0 = System.nanoTime();
        CliResult r = ferry("copy", "--bwlimit", "256K", "--include", "big.bin", src.toString(), dst.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(Files.readAllBytes(dst.resolve("big.bin"))).isEqualTo(data);
        assertThat(seconds).as("the limit holds").isGreaterThan(3.0);
    }

    @Test
    void everyKeepsRunningAndPrintsAStatusLinePerRun() throws IOException {
        CliResult r = ferry("copy", "--every", "1s", "--max-runs", "2", src.toString(), dst.toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out().lines().filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d ok: copied .*")))
                .hasSize(2).first().satisfies(l -> assertThat(l).contains("copied 3").contains("next run"));
        assertThat(read(dst.resolve("sub/b.txt"))).isEqualTo("bravo!");
        assertThat(ferry("sync", "--every", "1m", "--dry-run", src.toString(), dst.toString()).code()).isEqualTo(2);
    }

    @Test
    void bisyncRejectsAnUnknownConflictPolicy() {
        CliResult r = ferry("bisync", "--conflict", "coin-toss", src.toString(), dst.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown conflict policy 'coin-toss'");
    }

    // --- copy and sync ---------------------------------------------------------------------

    @Test
    void copyCopiesTheTreeAndPrintsASummary() throws IOException {
        CliResult r = ferry("copy", src.toString(), dst.toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(read(dst.resolve("a.txt"))).isEqualTo("alpha");
        assertThat(read(dst.resolve("sub/b.txt"))).isEqualTo("bravo!");
        assertThat(read(dst.resolve("sub/deeper/c.jpg"))).isEqualTo("charlie");
        assertThat(r.out()).contains("Copied:     3 files, 18 B").contains("Failed:     0");

        CliResult again = ferry("copy", src.toString(), dst.toString());
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("Copied:     0 files").contains("Unchanged:  3 files");
    }

    @Test
    void copyKeepsExtraFilesAndSyncDeletesThem() throws IOException {
        write(dst.resolve("extra.txt"), "x");
        assertThat(ferry("copy", src.toString(), dst.toString()).code()).isZero();
        assertThat(dst.resolve("extra.txt")).exists();

        CliResult r = ferry("sync", "-v", src.toString(), dst.toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(dst.resolve("extra.txt")).doesNotExist();
        assertThat(r.out()).contains("deleted extra.txt").contains("Deleted:    1 file");
    }

    @Test
    void verboseListsEachAction() {
        CliResult r = ferry("copy", "-v", src.toString(), dst.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("copied  a.txt (5 B)").contains("copied  sub/b.txt (6 B)");
    }

    @Test
    void quietPrintsNothing() {
        CliResult r = ferry("copy", "-q", src.toString(), dst.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void dryRunListsActionsAndTouchesNothing() throws IOException {
        write(dst.resolve("extra.txt"), "x");
        write(dst.resolve("a.txt"), "different length");
        CliResult r = ferry("sync", "--dry-run", src.toString(), dst.toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out())
                .contains("copy   a.txt (5 B, size differs)")
                .contains("copy   sub/b.txt (6 B, new)")
                .contains("mkdir  sub")
                .contains("delete extra.txt")
                .contains("Dry run: would copy 3 files");
        assertThat(read(dst.resolve("a.txt"))).isEqualTo("different length");
        assertThat(dst.resolve("extra.txt")).exists();
        assertThat(dst.resolve("sub")).doesNotExist();
    }

    @Test
    void jsonReportIsTheOnlyThingOnStdout() {
        CliResult r = ferry("sync", "--json", src.toString(), dst.toString());
        assertThat(r.code()).as(r.all()).isZero();
        String json = r.out().strip();
        assertThat(json).startsWith("{").endsWith("}").doesNotContain("\n");
        assertThat(json).contains("\"command\":\"sync\"", "\"mode\":\"mirror\"", "\"filesCopied\":3",
                "\"bytesCopied\":18", "\"failures\":[]", "\"safetyStop\":null", "\"exitCode\":0",
                "\"durationSeconds\":");
        assertThat(MiniJson.parse(json)).isInstanceOf(Map.class);
    }

    @Test
    void dryRunJsonHasTheActions() throws IOException {
        CliResult r = ferry("copy", "--dry-run", "--json", src.toString(), dst.toString());
        assertThat(r.code()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> plan = (Map<String, Object>) MiniJson.parse(r.out().strip());
        assertThat(plan).containsEntry("dryRun", true).containsEntry("filesToCopy", 3L);
        assertThat((List<?>) plan.get("actions")).hasSize(6) // 3 mkdirs (the root too), 3 copies
                .anySatisfy(a -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> action = (Map<String, Object>) a;
                    assertThat(action).containsEntry("action", "copy").containsEntry("path", "a.txt")
                            .containsEntry("size", 5L).containsEntry("reason", "missing");
                });
        assertThat(dst).doesNotExist();
    }

    @Test
    void filtersApplyInCommandLineOrder() {
        CliResult r = ferry("copy", "--exclude", "b.txt", "--include", "*.txt", src.toString(), dst.toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(dst.resolve("a.txt")).exists();
        assertThat(dst.resolve("sub/b.txt")).doesNotExist();
        assertThat(dst.resolve("sub/deeper/c.jpg")).doesNotExist();
    }

    @Test
    void sizeFilter() {
        CliResult r = ferry("copy", "--max-size", "6B", src.toString(), dst.toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(dst.resolve("a.txt")).exists();
        assertThat(dst.resolve("sub/b.txt")).exists();
        assertThat(dst.resolve("sub/deeper/c.jpg")).doesNotExist();
    }

    @Test
    void maxDeleteWithholdsDeletionsWithExitThree() throws IOException {
        ferry("copy", src.toString(), dst.toString());
        for (String n : List.of("x1", "x2", "x3")) {
            write(dst.resolve(n), n);
        }
        CliResult dry = ferry("sync", "--dry-run", "--max-delete", "1", src.toString(), dst.toString());
        assertThat(dry.code()).as(dry.all()).isEqualTo(3);
        assertThat(dry.out()).contains("Deletions withheld");

        CliResult r = ferry("sync", "--max-delete", "1", src.toString(), dst.toString());
        assertThat(r.code()).as(r.all()).isEqualTo(3);
        assertThat(dst.resolve("x1")).exists();
        assertThat(dst.resolve("x2")).exists();
        assertThat(dst.resolve("x3")).exists();
        assertThat(r.out()).contains("Safety stop");

        CliResult json = ferry("sync", "--json", "--max-delete", "1", src.toString(), dst.toString());
        assertThat(json.code()).isEqualTo(3);
        assertThat(json.out()).contains("\"exitCode\":3").doesNotContain("\"safetyStop\":null");
    }

    // --- check -----------------------------------------------------------------------------

    @Test
    void checkExitsZeroWhenEqualAndOneOnDifferences() throws IOException {
        ferry("copy", src.toString(), dst.toString());
        CliResult same = ferry("check", src.toString(), dst.toString());
        assertThat(same.code()).as(same.all()).isZero();
        assertThat(same.out()).contains("No differences: 3 files equal.");

        write(dst.resolve("a.txt"), "ALPHA but longer");
        write(dst.resolve("only-here.txt"), "x");
        Files.delete(dst.resolve("sub/b.txt"));
        CliResult diff = ferry("check", src.toString(), dst.toString());
        assertThat(diff.code()).as(diff.all()).isEqualTo(1);
        assertThat(diff.out())
                .contains("differs  a.txt (size differs)")
                .contains("missing  sub/b.txt")
                .contains("extra    only-here.txt")
                .contains("3 differences");
        assertThat(dst.resolve("only-here.txt")).exists();

        CliResult json = ferry("check", "--json", src.toString(), dst.toString());
        assertThat(json.code()).isEqualTo(1);
        assertThat(MiniJson.parse(json.out().strip())).isInstanceOf(Map.class);
        assertThat(json.out()).contains("\"difference\":\"extra\"", "\"path\":\"only-here.txt\"");
    }

    @Test
    void checkWithChecksumSeesEqualContentAsEqual() throws IOException {
        ferry("copy", src.toString(), dst.toString());
        Files.setLastModifiedTime(dst.resolve("a.txt"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        CliResult r = ferry("check", "--checksum", src.toString(), dst.toString());
        assertThat(r.code()).as(r.all()).isZero();
    }

    /** Through crypt:, --checksum compares by encrypting with the stored nonce (no hash in common, no warning). */
    @Test
    void checkWithChecksumVerifiesCryptContentByEncryption() throws IOException {
        env.put("FERRY_PW", "check by encryption");
        String vault = "crypt:" + dst;
        assertThat(ferry("copy", src.toString(), vault, "--dst-opt", "password=env:FERRY_PW").code()).isZero();
        CliResult same = ferry("check", "--checksum", src.toString(), vault, "--dst-opt", "password=env:FERRY_PW");
        assertThat(same.code()).as(same.all()).isZero();
        assertThat(same.all()).doesNotContain("no hash in common");
        write(src.resolve("a.txt"), "ALPHX"); // same size, same time: only the content tells
        CliResult plain = ferry("check", src.toString(), vault, "--dst-opt", "password=env:FERRY_PW");
        assertThat(plain.code()).as("by size and time: " + plain.all()).isZero();
        CliResult diff = ferry("check", "--checksum", src.toString(), vault, "--dst-opt", "password=env:FERRY_PW");
        assertThat(diff.code()).as(diff.all()).isEqualTo(1);
        assertThat(diff.out()).contains("differs  a.txt");
    }

    // --- ls and backends -------------------------------------------------------------------

    @Test
    void lsListsRecursivelyWithSizesAndDirectorySlashes() {
        CliResult r = ferry("ls", src.toString());
        assertThat(r.code()).as(r.all()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\s+5  \\d{4}-\\d\\d-\\d\\d \\S+  a\\.txt"));
        assertThat(lines).anySatisfy(l -> assertThat(l).endsWith("  sub/").startsWith("           -"));
        assertThat(lines).anySatisfy(l -> assertThat(l).endsWith("  sub/deeper/c.jpg"));
        // Breadth-first: everything at depth 1 before depth 2.
        assertThat(indexOf(lines, "  sub/deeper/")).isGreaterThan(indexOf(lines, "  a.txt"));

        CliResult shallow = ferry("ls", "--max-depth", "1", src.toString());
        assertThat(shallow.out().lines()).hasSize(2);
    }

    @Test
    void lsOfAMissingLocationIsFatal() {
        CliResult r = ferry("ls", tmp.resolve("nope").toString());
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).startsWith("ferry: ");
    }

    private static int indexOf(List<String> lines, String suffix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith(suffix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void backendsListsFileAndTheCryptWrapper() {
        CliResult r = ferry("backends");
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("(?m)^file\\s+\\S");
        assertThat(r.out()).containsPattern("(?m)^sftp\\s+\\S").containsPattern("(?m)^vfs\\s+\\S");
        assertThat(r.out()).containsPattern("(?m)^crypt:LOCATION\\s+\\S").containsPattern("(?m)^\\s+password\\s.*\\[secret\\]$");
        CliResult json = ferry("backends", "--json");
        assertThat(json.out()).contains("\"scheme\":\"file\"").contains("\"scheme\":\"crypt\"")
                .contains("\"wrapper\":true").contains("\"wrapper\":false");
        assertThat(MiniJson.parse(json.out().strip())).isInstanceOf(List.class);
    }

    // --- usage errors (2) and fatal errors (4) ---------------------------------------------

    @Test
    void badUsageExitsTwo() {
        assertThat(ferry().code()).isEqualTo(2);
        assertThat(ferry("frobnicate").code()).isEqualTo(2);
        assertThat(ferry("copy", src.toString()).code()).isEqualTo(2);
        assertThat(ferry("copy", "--no-such-flag", src.toString(), dst.toString()).code()).isEqualTo(2);
        assertThat(ferry("copy", "--max-size", "12X", src.toString(), dst.toString()).code()).isEqualTo(2);
        assertThat(ferry("copy", "--min-age", "soon", src.toString(), dst.toString()).code()).isEqualTo(2);
        assertThat(ferry("copy", "-v", "-q", src.toString(), dst.toString()).code()).isEqualTo(2);
        assertThat(ferry("copy", "--checksum", "--size-only", src.toString(), dst.toString()).code()).isEqualTo(2);
        assertThat(ferry("copy", "--transfers", "0", src.toString(), dst.toString()).code()).isEqualTo(2);
        assertThat(ferry("copy", "--include", "[oops", src.toString(), dst.toString()).code()).isEqualTo(2);
        assertThat(ferry("copy", "--dst-opt", "fsync=perhaps", src.toString(), dst.toString()).code()).isEqualTo(2);
        assertThat(dst).doesNotExist();

        CliResult r = ferry("copy", "--no-such-flag", src.toString(), dst.toString());
        assertThat(r.err()).startsWith("ferry: ").contains("--no-such-flag").contains("ferry copy --help");
        assertThat(r.err()).doesNotContain("\tat ");
    }

    @Test
    void malformedUriAndUnknownSchemeExitTwo() {
        CliResult malformed = ferry("copy", src.toString(), "file:///tmp/a b%zz");
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).startsWith("ferry: destination: ");

        CliResult ftp = ferry("ls", "ftp://host/a b");
        assertThat(ftp.code()).isEqualTo(2);

        CliResult unknown = ferry("copy", src.toString(), "gopher://host/x");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown scheme 'gopher'").contains("known schemes: ").contains(" file,");
        assertThat(unknown.err().lines()).hasSize(1);
    }

    @Test
    void missingSourceIsFatal() {
        CliResult r = ferry("sync", tmp.resolve("no-such-dir").toString(), dst.toString());
        assertThat(r.code()).as(r.all()).isEqualTo(4);
        assertThat(r.err()).startsWith("ferry: ").doesNotContain("\tat ");
        assertThat(dst).doesNotExist();
    }

    @Test
    void destinationInsideSourceIsRefused() {
        CliResult inside = ferry("sync", src.toString(), src.resolve("sub/backup").toString());
        assertThat(inside.code()).as(inside.all()).isEqualTo(4);
        assertThat(inside.err()).startsWith("ferry: ");
        assertThat(src.resolve("sub/backup")).doesNotExist();

        assertThat(ferry("sync", src.resolve("sub").toString(), src.toString()).code()).isEqualTo(4);
        assertThat(ferry("copy", src.toString(), src.toString()).code()).isEqualTo(4);
        assertThat(ferry("check", src.toString(), src.toString()).code()).isEqualTo(4);
    }

    // --- named remotes and the environment -------------------------------------------------

    @Test
    void namedRemoteFromConfigFile() throws IOException {
        Path conf = tmp.resolve("ferry.conf");
        Files.writeString(conf, "# test\n[backup]\nurl = " + dst + "\n");
        CliResult r = ferry("copy", "--config", conf.toString(), src.toString(), "backup:sub/dir");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(read(dst.resolve("sub/dir/a.txt"))).isEqualTo("alpha");

        // The same file through $FERRY_CONFIG, and for ls.
        env.put("FERRY_CONFIG", conf.toString());
        CliResult ls = ferry("ls", "backup:sub");
        assertThat(ls.code()).as(ls.all()).isZero();
        assertThat(ls.out()).contains("  dir/a.txt");

        // And from the XDG default location.
        env.remove("FERRY_CONFIG");
        Files.createDirectories(tmp.resolve("xdg/ferry"));
        Files.copy(conf, tmp.resolve("xdg/ferry/ferry.conf"));
        assertThat(ferry("check", src.toString(), "backup:sub/dir").code()).isZero();
    }

    @Test
    void environmentOverridesARemoteOption() throws IOException {
        Path conf = tmp.resolve("ferry.conf");
        Files.writeString(conf, "[backup]\nurl = " + tmp.resolve("elsewhere") + "\nfsync = not-a-boolean\n");
        env.put("FERRY_CONFIG", conf.toString());

        CliResult bad = ferry("copy", src.toString(), "backup:");
        assertThat(bad.code()).as(bad.all()).isEqualTo(2);
        assertThat(bad.err()).contains("fsync");

        env.put("FERRY_REMOTE_BACKUP_FSYNC", "true");
        env.put("FERRY_REMOTE_BACKUP_URL", dst.toString());
        CliResult r = ferry("copy", src.toString(), "backup:");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(dst.resolve("a.txt")).exists();
        assertThat(tmp.resolve("elsewhere")).doesNotExist();
    }

    @Test
    void optionValueFromEnvironmentVariable() throws IOException {
        Path conf = tmp.resolve("ferry.conf");
        Files.writeString(conf, "[backup]\nurl = " + dst + "\nfsync = env:BACKUP_FSYNC\n");
        env.put("FERRY_CONFIG", conf.toString());
        CliResult unset = ferry("copy", src.toString(), "backup:");
        assertThat(unset.code()).isEqualTo(2);
        assertThat(unset.err()).contains("BACKUP_FSYNC").contains("ferry.conf:3");

        env.put("BACKUP_FSYNC", "yes");
        assertThat(ferry("copy", src.toString(), "backup:").code()).isZero();
        env.put("DST_FSYNC", "on");
        assertThat(ferry("copy", "--dst-opt", "fsync=env:DST_FSYNC", src.toString(), dst.toString()).code()).isZero();
    }

    @Test
    void aBrokenRemoteOnlyMattersWhenUsed() throws IOException {
        Path conf = tmp.resolve("ferry.conf");
        Files.writeString(conf, "[good]\nurl = " + dst + "\n[broken]\nurl = gopher://h/x\n");
        env.put("FERRY_CONFIG", conf.toString());
        assertThat(ferry("copy", src.toString(), "good:").code()).isZero();
        CliResult r = ferry("copy", src.toString(), "broken:");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("ferry.conf:4").contains("broken");
    }

    @Test
    void configErrorsExitTwoNamingFileAndLine() throws IOException {
        Path conf = tmp.resolve("bad.conf");
        Files.writeString(conf, "[backup]\nurl = " + dst + "\nthis is not an option line\n");
        CliResult r = ferry("copy", "--config", conf.toString(), src.toString(), dst.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bad.conf:3");

        CliResult missing = ferry("copy", "--config", tmp.resolve("missing.conf").toString(), src.toString(),
                dst.toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("missing.conf");
    }

    @Test
    void passwordsAreNeverPrinted() throws IOException {
        List<CliResult> results = new ArrayList<>();
        results.add(ferry("copy", src.toString(), "gopher://user:secret@host/dir"));
        results.add(ferry("ls", "file://user:secret@localhost" + dst));
        results.add(ferry("ls", "ftp://user:secret@host/a b"));
        results.add(ferry("copy", "--src-opt", "password=secret", src.toString(), dst.toString()));
        results.add(ferry("copy", "--transfers", "ftp://user:secret@host/", src.toString(), dst.toString()));
        results.add(ferry("copy", "--unknown=secret", src.toString(), dst.toString()));
        results.add(ferry("copy", "--debug", src.toString(), "file://user:secret@localhost" + dst));
        Path conf = tmp.resolve("ferry.conf");
        Files.writeString(conf, "[remote]\nurl = gopher://user:secret@host/\n[other]\nurl = /x\npassword = secret\n");
        env.put("FERRY_CONFIG", conf.toString());
        results.add(ferry("ls", "remote:"));
        results.add(ferry("ls", "other:"));
        for (CliResult r : results) {
            assertThat(r.code()).as(r.all()).isNotZero();
            assertThat(r.all()).as(r.all()).doesNotContain("secret").isNotEmpty();
        }
    }

    @Test
    void helpListsExitCodes() {
        CliResult r = ferry("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Exit codes:").contains("copy").contains("sync").contains("check")
                .contains("backends").containsPattern("(?m)^\\s+3\\s+deletions withheld");
        CliResult sub = ferry("sync", "--help");
        assertThat(sub.out()).contains("--dry-run").contains("--max-delete").contains("Exit codes:");
        assertThat(ferry("--version").out()).startsWith("ferry ");
    }
}
