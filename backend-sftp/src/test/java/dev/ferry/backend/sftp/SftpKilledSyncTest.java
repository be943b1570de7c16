package dev.ferry.backend.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.backend.support.TemporaryNames;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.TestContent;
import dev.ferry.testkit.engine.KilledSync;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync to the real sshd killed (SIGKILL) half-way through a 100 MiB upload; the next run
 * continues the temporary file the first one left instead of starting over.
 */
class SftpKilledSyncTest {

    @TempDir
    Path tmp;

    @Test
    void aKilledProcessIsContinuedByTheNextOne() throws Exception {
        TestSshd sshd = TestSshd.shared();
        assumeThat(sshd).as("OpenSSH's server is not installed (/usr/sbin/sshd missing)").isNotNull();
        long size = 100L << 20;
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        try (InputStream in = TestContent.stream(42, size); OutputStream out = Files.newOutputStream(src.resolve("video.bin"))) {
            in.transferTo(out);
        }
        Path onDisk = sshd.freshRoot(Optional.empty()).resolve("dst");
        KilledSync.Location dst = new KilledSync.Location(sshd.location(sshd.user, onDisk), sshd.keyOptions());
        Path state = tmp.resolve("state");
        Process child = KilledSync.start(KilledSync.Location.of(src.toString()), dst, state, 30_000_000L, tmp.resolve("child"));
        KilledSync.killWhen(child, () -> tempSize(onDisk), size / 2, Duration.ofSeconds(90), tmp.resolve("child"));
        long left = tempSize(onDisk);
        assertThat(left).as("a partial file is left on the server").isBetween(size / 4, size - 1);
        assertThat(onDisk.resolve("video.bin")).doesNotExist();

        try (SyncTarget s = SyncTargets.load().open(src.toString()); SyncTarget d = dst.open()) {
            assertThat(d.stat(SyncPath.of("video.bin"))).isEmpty();
            SyncReport r = Sync.between(s, d, SyncOptions.builder().stateDirectory(state).build()).run();
            assertThat(r.failures()).isEmpty();
            assertThat(r.bytesCopied()).as("sent the second time").isLessThanOrEqualTo((long) (size * 0.8));
        }
        try (InputStream a = Files.newInputStream(onDisk.resolve("video.bin"));
                InputStream b = Files.newInputStream(src.resolve("video.bin"))) {
            assertThat(TestContent.sha256(a)).isEqualTo(TestContent.sha256(b));
        }
        assertThat(tempSize(onDisk)).as("no temporary file left").isZero();
    }

    private static long tempSize(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> TemporaryNames.isTemporary(f.getFileName().toString())).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }
}
