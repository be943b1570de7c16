package dev.ferry.testkit.engine;

import dev.ferry.testkit.Listings;
import dev.ferry.testkit.TestContent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Capabilities;
import dev.ferry.api.PosixModes;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncPlan;
import dev.ferry.core.SyncReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine end to end through a backend: a local tree is mirrored to the target and from the
 * target into a second local folder, which must come out byte-identical and, where the target
 * keeps times, with the same modification times to the target's precision. A second run must
 * find nothing to do, in both directions. A backend's test extends this and supplies a fresh
 * target; the local side is opened through {@link SyncTargets}, so the local backend must be on
 * the test class path.
 */
public abstract class EngineRoundTripContract {

    /** Times with nanoseconds, well in the past, one per file. */
    private static final Instant BASE = Instant.parse("2022-07-08T09:10:11.123456789Z");

    /** The target under test, fresh and empty, closed after each test. */
    protected SyncTarget target;

    /** Working folders. */
    @TempDir
    protected Path tmp;

    private SyncTarget local;
    private SyncTarget back;

    /** A fresh, empty target whose root may not exist yet. */
    protected abstract SyncTarget newTarget() throws Exception;

    /** Whether the target keeps directories that hold no file (object stores don't). */
    protected boolean supportsEmptyDirectories() {
        return true;
    }

    /** Options for every run; backends may lower transfers for slow servers. */
    protected SyncOptions.Builder options() {
        return SyncOptions.builder().mode(SyncMode.MIRROR);
    }

    @BeforeEach
    void openTargets() throws Exception {
        target = newTarget();
        SyncTargets targets = SyncTargets.load();
        Files.createDirectories(tmp.resolve("local"));
        local = targets.open(tmp.resolve("local").toString());
        back = targets.open(tmp.resolve("back").toString());
    }

    @AfterEach
    void closeTargets() throws IOException {
        for (SyncTarget t : new SyncTarget[] {target, local, back}) {
            if (t != null) {
                t.close();
            }
        }
    }

    private void writeTree() throws IOException {
        Path root = tmp.resolve("local");
        file(root, "README.txt", TestContent.bytes(1, 300), 0);
        file(root, "empty.dat", new byte[0], 1);
        file(root, "photos/2024/IMG 0001.jpg", TestContent.bytes(2, 200_000), 2);
        file(root, "photos/2024/IMG#2 100%.jpg", TestContent.bytes(3, 70_000), 3);
        file(root, "notes/日本語/メモ 😀.txt", TestContent.bytes(4, 1234), 4);
        file(root, "notes/a+b=c & d?.md", TestContent.bytes(5, 55), 5);
        file(root, "big/5MiB.bin", TestContent.bytes(6, 5 << 20), 6);
        if (supportsEmptyDirectories()) {
            Files.createDirectories(root.resolve("empty-dir/inner"));
        }
    }

    private static void file(Path root, String rel, byte[] data, int i) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, data);
        Files.setLastModifiedTime(p, FileTime.from(BASE.plusSeconds(3600L * i).plusNanos(i * 1111)));
    }

    private SyncReport mirror(SyncTarget from, SyncTarget to) throws IOException {
        SyncReport r = Sync.between(from, to, options().build()).run();
        assertThat(r.failures()).as("failures %s -> %s", from.description(), to.description()).isEmpty();
        assertThat(r.safetyStop()).isEmpty();
        return r;
    }

    private SyncPlan plan(SyncTarget from, SyncTarget to) throws IOException {
        return Sync.between(from, to, options().build()).dryRun();
    }

    /** Relative path → size, SHA-256 and time, for every file below a folder; directories as "dir". */
    private static Map<String, String> snapshot(Path root, Duration precision, boolean withTimes) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                String rel = root.relativize(p).toString();
                if (Files.isDirectory(p)) {
                    out.put(rel, "dir");
                    continue;
                }
                String sha;
                try (InputStream in = Files.newInputStream(p)) {
                    sha = TestContent.sha256(in);
                }
                String v = Files.size(p) + " " + sha;
                if (withTimes) {
                    long nanos = Files.getLastModifiedTime(p).toInstant().getEpochSecond() * 1_000_000_000L
                            + Files.getLastModifiedTime(p).toInstant().getNano();
                    v += " t=" + (nanos / precision.toNanos());
                }
                out.put(rel, v);
            }
        }
        return out;
    }

    @Test
    void localToTargetToLocalIsIdenticalAndSecondRunsDoNothing() throws IOException {
        writeTree();
        SyncReport up = mirror(local, target);
        assertThat(up.filesCopied()).isEqualTo(7);
        SyncReport down = mirror(target, back);
        assertThat(down.filesCopied()).isEqualTo(7);

        Capabilities caps = target.capabilities();
        Duration precision = caps.modTimePrecision().compareTo(Duration.ofSeconds(1)) > 0
                ? caps.modTimePrecision() : Duration.ofSeconds(1);
        Map<String, String> expected = snapshot(tmp.resolve("local"), precision, caps.keepsModTime());
        Map<String, String> actual = snapshot(tmp.resolve("back"), precision, caps.keepsModTime());
        assertThat(actual).isEqualTo(expected);

        assertThat(plan(local, target).actions()).as("second upload").isEmpty();
        assertThat(plan(target, back).actions()).as("second download").isEmpty();
    }

    @Test
    void changesAndDeletionsPropagate() throws IOException {
        writeTree();
        mirror(local, target);
        Path root = tmp.resolve("local");
        file(root, "README.txt", TestContent.bytes(99, 300), 40); // same size, new content and time
        Files.delete(root.resolve("photos/2024/IMG 0001.jpg"));
        if (supportsEmptyDirectories()) {
            Files.delete(root.resolve("empty-dir/inner"));
        }
        file(root, "new/added.txt", TestContent.bytes(7, 10), 41);
        SyncReport r = mirror(local, target);
        assertThat(r.filesCopied()).isEqualTo(2);
        assertThat(r.filesDeleted()).isEqualTo(1);
        mirror(target, back);
        Capabilities caps = target.capabilities();
        assertThat(snapshot(tmp.resolve("back"), Duration.ofSeconds(1), false))
                .isEqualTo(snapshot(root, Duration.ofSeconds(1), false));
        assertThat(plan(local, target).actions()).isEmpty();
        assertThat(caps).isNotNull();
    }

    /**
     * With {@code keepModes}, POSIX modes make the round trip: an executable stays executable, a
     * key stays 0600, a private directory stays 0700 where the target has directories. Skipped for
     * targets without {@link PosixModes}, which say so in their abilities.
     */
    @Test
    void modesMakeTheRoundTripWhenKept() throws IOException {
        Assumptions.assumeTrue(target.ability(PosixModes.class).isPresent(),
                "the target keeps no POSIX modes (no PosixModes ability)");
        Assumptions.assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"),
                "the local file system has no POSIX modes");
        Path root = tmp.resolve("local");
        file(root, "bin/run.sh", TestContent.bytes(11, 100), 1);
        file(root, "data/plain.txt", TestContent.bytes(12, 100), 2);
        file(root, "private/id_ed25519", TestContent.bytes(13, 100), 3);
        Files.setPosixFilePermissions(root.resolve("bin/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(root.resolve("data/plain.txt"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(root.resolve("private/id_ed25519"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(root.resolve("private"), PosixFilePermissions.fromString("rwx------"));

        SyncOptions keep = options().keepModes(true).build();
        assertThat(Sync.between(local, target, keep).run().failures()).isEmpty();
        assertThat(Sync.between(target, back, keep).run().failures()).isEmpty();

        Path out = tmp.resolve("back");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("bin/run.sh"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("data/plain.txt"))))
                .isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("private/id_ed25519"))))
                .isEqualTo("rw-------");
        if (target.ability(PosixModes.class).get().keepsDirectoryModes()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("private"))))
                    .isEqualTo("rwx------");
        }
    }
}
