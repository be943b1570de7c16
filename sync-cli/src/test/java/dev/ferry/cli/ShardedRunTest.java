package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --shard I/N}: N shards run as N processes at once give exactly what one run gives,
 * deletions included, and a shard killed half-way reruns alone.
 */
class ShardedRunTest {

    @TempDir
    Path tmp;

    Path src;
    Path jar;

    @BeforeEach
    void setUp() throws IOException {
        src = tmp.resolve("src");
        for (int d = 0; d < 12; d++) {
            for (int f = 0; f < 4; f++) {
                write(src.resolve("dir" + d + "/sub/f" + f + ".txt"), "content " + d + "/" + f);
            }
        }
        write(src.resolve("root-a.txt"), "a");
        write(src.resolve("root-b.txt"), "b");
        jar = TestLauncher.jar(tmp);
    }

    static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2024-01-02T03:04:05Z")));
    }

    /** A destination with stale files, extra files to delete, and extra whole directories. */
    private Path staleDestination(String name) throws IOException {
        Path dst = tmp.resolve(name);
        write(dst.resolve("dir1/sub/f0.txt"), "old");
        write(dst.resolve("dir5/extra.txt"), "delete me");
        write(dst.resolve("gone-dir/x.txt"), "delete me too");
        write(dst.resolve("root-gone.txt"), "and me");
        return dst;
    }

    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                // A killed run's temporary file is hidden from listings and swept once stale: not content.
                if (Files.isRegularFile(p)
                        && !dev.ferry.backend.support.TemporaryNames.isTemporary(p.getFileName().toString())) {
                    out.put(root.relativize(p).toString(), Files.readString(p));
                }
            }
        }
        return out;
    }

    private Process shard(Path dst, int i, int n, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "sync", src.toString(), dst.toString(), "--shard", i + "/" + n, "-q",
                "--state-dir", tmp.resolve("state").toString()));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static void await(Process p) throws Exception {
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
    }

    private int ferry(String... args) {
        return Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()),
                Map.of("XDG_STATE_HOME", tmp.resolve("state1").toString())::get);
    }

    @Test
    void threeShardsAtOnceEqualOneRunDeletionsIncluded() throws Exception {
        Path one = staleDestination("one");
        assertThat(ferry("sync", src.toString(), one.toString(), "-q")).isZero();
        Map<String, String> expected = tree(one);
        assertThat(expected).doesNotContainKeys("dir5/extra.txt", "gone-dir/x.txt", "root-gone.txt")
                .containsEntry("dir1/sub/f0.txt", "content 1/0");

        Path sharded = staleDestination("sharded");
        List<Process> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.add(shard(sharded, i, 3));
        }
        for (Process p : all) {
            await(p);
        }
        assertThat(tree(sharded)).isEqualTo(expected);
        assertThat(sharded.resolve("gone-dir")).doesNotExist();
    }

    @Test
    void aKilledShardRerunsAlone() throws Exception {
        Path one = staleDestination("one");
        assertThat(ferry("sync", src.toString(), one.toString(), "-q")).isZero();
        // A big file in shard 1, so its run is surely still going when it is killed.
        String big = "big0";
        for (int k = 1; dev.ferry.core.Shard.of(big, 2) != 1; k++) {
            big = "big" + k;
        }
        Files.createDirectories(src.resolve(big));
        Files.write(src.resolve(big).resolve("data.bin"), new byte[2 << 20]);
        assertThat(ferry("sync", src.toString(), one.toString(), "-q")).isZero();
        Path sharded = staleDestination("sharded");
        await(shard(sharded, 0, 2));
        // Shard 1 slowed to 64 KiB/s (half a minute for the big file), then killed mid-run.
        Process slow = shard(sharded, 1, 2, "--bwlimit", "64K", "--transfers", "1");
        Thread.sleep(1500);
        slow.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(tree(sharded)).isNotEqualTo(tree(one));
        await(shard(sharded, 1, 2));
        assertThat(tree(sharded)).isEqualTo(tree(one));
    }

    @Test
    void thePlanSplitsEveryFileOnceAndBadShardsAreUsageErrors() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"sync", src.toString(), tmp.resolve("x").toString(), "--shards", "3", "--plan"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Map.<String, String>of()::get);
        assertThat(code).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3);
        long total = 0;
        for (String l : lines) {
            assertThat(l).matches("shard \\d/3: \\d+ files, .*");
            total += Long.parseLong(l.replaceAll("shard \\d/3: (\\d+) files.*", "$1"));
        }
        assertThat(total).isEqualTo(50);
        assertThat(tmp.resolve("x")).doesNotExist();
        assertThat(ferry("sync", src.toString(), tmp.resolve("y").toString(), "--shard", "3/3")).isEqualTo(2);
        assertThat(ferry("sync", src.toString(), tmp.resolve("y").toString(), "--shard", "nope")).isEqualTo(2);
    }

    @Test
    void keyRangesFromThePlanSplitOneHugeDirectoryAndThreeShardsEqualOneRun() throws Exception {
        // Everything below one top-level directory: a hash of the top-level name cannot split it.
        for (int f = 0; f < 60; f++) {
            write(src.resolve("huge/f" + f + ".txt"), "huge " + f);
        }
        Path one = staleDestination("one");
        write(one.resolve("huge/stale.txt"), "delete me");
        assertThat(ferry("sync", src.toString(), one.toString(), "-q")).isZero();
        Path bounds = tmp.resolve("bounds.txt");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Main.run(new String[] {"sync", src.toString(), tmp.resolve("x").toString(), "--shards", "3", "--plan",
                "--shard-bounds", bounds.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err,
                Map.<String, String>of()::get)).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(3)).startsWith("cuts written to ");
        long total = 0;
        for (String l : lines.subList(0, 3)) {
            long files = Long.parseLong(l.replaceAll("shard \\d/3 .*: (\\d+) files.*", "$1"));
            assertThat(files).as(l).isBetween(30L, 45L); // 110 files, split evenly, not by top-level name
            total += files;
        }
        assertThat(total).isEqualTo(110);

        Path sharded = staleDestination("sharded");
        write(sharded.resolve("huge/stale.txt"), "delete me");
        List<Process> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.add(shard(sharded, i, 3, "--shard-bounds", bounds.toString()));
        }
        for (Process p : all) {
            await(p);
        }
        assertThat(tree(sharded)).isEqualTo(tree(one));
        // bisync keeps to top-level hashes; a bounds file without --shard is a usage error.
        assertThat(ferry("bisync", src.toString(), sharded.toString(), "--shard", "0/3", "--shard-bounds", bounds.toString()))
                .isEqualTo(2);
        assertThat(ferry("sync", src.toString(), sharded.toString(), "--shard-bounds", bounds.toString())).isEqualTo(2);
        assertThat(ferry("sync", src.toString(), sharded.toString(), "--shard", "0/2", "--shard-bounds", bounds.toString()))
                .isEqualTo(2);
    }
}
