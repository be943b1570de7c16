package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A temporary file that a failed write could not delete, because the server had just gone away,
 * is deleted by the next write once the server is back, not left visible until the stale sweep
 * (seen in the photobooth: a run cut by the outage left {@code .ferry-….IMG_0001.jpg.partial}).
 */
class FtpOrphanTempTest {

    @Test
    void aTemporaryFileLeftByTheOutageGoesWithTheNextWrite() throws Exception {
        TestServers.Stoppable ftp = TestServers.stoppableApache();
        try (FtpTarget target = (FtpTarget) new FtpTargetProvider().open(new dev.ferry.api.TargetSpec(
                java.net.URI.create("ftp://" + TestServers.USER + "@127.0.0.1:" + ftp.server.port() + "/"),
                Map.of("password", TestServers.PASSWORD, "connectTimeout", "2s", "timeout", "5s")))) {
            target.write(SyncPath.of("a.txt"), new ByteArrayInputStream(new byte[] {1}), WriteHints.ofSize(1));
            // What a write cut after its STOR leaves: its temporary file, and a server gone away.
            Path orphan = ftp.server.root().resolve(".ferry-abcdefghijkl.b.txt.partial");
            Files.write(orphan, new byte[] {2});
            ftp.stop();
            target.uploads().removeTemp("/.ferry-abcdefghijkl.b.txt.partial");
            assertThat(target.uploads().orphans()).isEqualTo(1);
            assertThat(orphan).exists();

            ftp.start();
            target.write(SyncPath.of("c.txt"), new ByteArrayInputStream(new byte[] {3}), WriteHints.ofSize(1));
            assertThat(orphan).doesNotExist();
            assertThat(target.uploads().orphans()).isZero();
            assertThat(ftp.server.root().resolve("c.txt")).hasBinaryContent(new byte[] {3});
        } finally {
            ftp.stop();
        }
    }
}
