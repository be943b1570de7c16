package dev.ferry.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import java.io.ByteArrayInputStream;
import dev.ferry.core.SyncTargets;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import dev.ferry.testkit.TestContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers that keep no modification times (Apache mod_dav, rclone serve 1.60): the engine must
 * neither send unchanged files again on every run nor miss an edit that kept the size.
 */
class NoReuploadTest {

    @TempDir
    Path tmp;

    @Test
    void apache() throws Exception {
        check(TestServers.apacheOrSkip());
    }

    @Test
    void rcloneServe() throws Exception {
        check(TestServers.rcloneOrSkip());
    }

    @Test
    void apacheVersionTokenSurvivesTheWeakEtagSecond() throws Exception {
        try (SyncTarget dav = TestServers.apacheOrSkip().freshTarget(Map.of())) {
            Entry written = dav.write(SyncPath.of("w.txt"), new ByteArrayInputStream(new byte[] {1, 2}), WriteHints.ofSize(2));
            Thread.sleep(1100); // Apache's ETag turns from W/"…" to "…" after a second
            assertThat(dav.stat(SyncPath.of("w.txt")).orElseThrow().version()).isEqualTo(written.version()).isPresent();
        }
    }

    private void check(TestServers.Server server) throws Exception {
        Path src = tmp.resolve("src");
        for (int i = 0; i < 20; i++) {
            Path f = src.resolve("d" + (i % 3) + "/f" + i + ".bin");
            Files.createDirectories(f.getParent());
            Files.write(f, TestContent.bytes(i, 1000 + i));
            Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2022-01-01T00:00:00Z").plusSeconds(i)));
        }
        try (SyncTarget local = SyncTargets.load().open(src.toString());
                SyncTarget dav = server.freshTarget(Map.of())) {
            assertThat(dav.capabilities().keepsModTime()).isFalse();
            SyncReport first = run(local, dav);
            assertThat(first.filesCopied()).isEqualTo(20);

            SyncReport second = run(local, dav);
            assertThat(second.filesCopied()).as("unchanged files are not sent again").isZero();
            assertThat(second.bytesCopied()).isZero();

            Path edited = src.resolve("d1/f1.bin");
            Files.write(edited, TestContent.bytes(99, 1001)); // same size, new content
            Files.setLastModifiedTime(edited, FileTime.from(Instant.parse("2023-01-01T00:00:00Z")));
            SyncReport third = run(local, dav);
            assertThat(third.filesCopied()).as("a same-size edit is seen").isEqualTo(1);
            assertThat(third.bytesCopied()).isEqualTo(1001);
        }
    }

    private SyncReport run(SyncTarget from, SyncTarget to) throws IOException {
        SyncReport r = Sync.between(from, to, SyncOptions.builder().mode(SyncMode.MIRROR)
                .stateDirectory(tmp.resolve("state")).build()).run();
        assertThat(r.failures()).isEmpty();
        return r;
    }
}
