package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.backend.support.TemporaryNames;
import dev.ferry.core.RetryPolicy;
import dev.ferry.core.SyncJob;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.testkit.TestContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A periodic job rides out the FTP server going away: runs fail and back off while it is down,
 * and once it is back every file arrives, byte-identical, with nothing half-written under a
 * final name at any point.
 */
class FtpOutageTest {

    @TempDir
    Path tmp;

    /** Every regular file below {@code root}: path to SHA-256; Ferry's temporary files apart. */
    static Map<String, String> files(Path root, boolean temporary) throws IOException {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(root)) {
            return m;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p)
                        && TemporaryNames.isTemporary(p.getFileName().toString()) == temporary) {
                    try (var in = Files.newInputStream(p)) {
                        m.put(root.relativize(p).toString(), TestContent.sha256(in));
                    }
                }
            }
        } catch (java.io.UncheckedIOException e) {
            return files(root, temporary); // a temp file vanished under the walk: look again
        }
        return m;
    }

    static void await(String what, Predicate<Void> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (!done.test(null)) {
            assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void filesArriveExactlyOnceAfterTheServerComesBack() throws Exception {
        TestServers.Stoppable ftp = TestServers.stoppableApache();
        Path src = tmp.resolve("photos");
        for (int i = 0; i < 20; i++) {
            Files.createDirectories(src.resolve("day" + (i % 3)));
            Files.write(src.resolve("day" + (i % 3) + "/IMG_" + i + ".jpg"), TestContent.bytes(i, 50_000 + i));
        }
        Path served = ftp.server.root();
        try (SyncTarget s = SyncTargets.load().open(src.toString());
                SyncTarget d = SyncTargets.load().open("ftp://" + TestServers.USER + "@127.0.0.1:" + ftp.server.port() + "/",
                        Map.of("password", TestServers.PASSWORD, "connectTimeout", "2s", "timeout", "5s"));
                SyncJob job = SyncJob.builder(s).destination("ftp", d)
                        .options(SyncOptions.builder().mode(SyncMode.COPY)
                                .retry(new RetryPolicy(2, Duration.ofMillis(50), Duration.ofMillis(100), 50)).build())
                        .every(Duration.ofMillis(500))
                        .backoff(Duration.ofMillis(200), Duration.ofSeconds(1))
                        .build()) {
            job.start();
            await("the first run", v -> job.status().get(0).lastReport().map(r -> r.succeeded()).orElse(false));
            assertThat(files(served, false)).isEqualTo(files(src, false));

            ftp.stop();
            for (int i = 20; i < 35; i++) {
                Files.write(src.resolve("day" + (i % 3) + "/IMG_" + i + ".jpg"), TestContent.bytes(i, 50_000 + i));
            }
            await("three failed runs", v -> job.status().get(0).consecutiveFailures() >= 3);
            // Whatever is under a final name is whole: the same bytes as the source's.
            Map<String, String> source = files(src, false);
            files(served, false).forEach((path, sha) -> assertThat(sha).as(path).isEqualTo(source.get(path)));
            SyncJob.Status down = job.status().get(0);
            assertThat(down.lastError()).isPresent();
            assertThat(down.nextRun()).isPresent();

            ftp.start();
            await("a good run after the outage", v -> job.status().get(0).consecutiveFailures() == 0
                    && job.status().get(0).lastReport().map(r -> r.succeeded()).orElse(false));
            await("every file", v -> {
                try {
                    return files(served, false).equals(files(src, false));
                } catch (IOException e) {
                    return false;
                }
            });
        } finally {
            ftp.stop();
        }
        // Byte-identical, each exactly once, and no half-written file under a final name.
        assertThat(files(served, false)).isEqualTo(files(src, false)).hasSize(35);
    }
}
