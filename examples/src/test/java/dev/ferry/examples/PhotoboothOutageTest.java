package dev.ferry.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.backend.support.TemporaryNames;
import dev.ferry.backend.ftp.TestServers;
import dev.ferry.core.SyncJob;
import dev.ferry.core.SyncReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The photobooth against a real FTP server (Apache FtpServer on loopback) and a USB folder: the
 * webspace goes down between two photos; the USB disk still gets each photo at once, and once
 * the server is back the regular sync delivers what it missed, whole and once.
 */
class PhotoboothOutageTest {

    @TempDir
    Path tmp;

    @Test
    void aDeadRemoteHoldsBackNoOtherAndIsRepairedWhenBack() throws Exception {
        TestServers.Stoppable ftp = TestServers.stoppableApache();
        try {
            photobooth(ftp);
        } finally {
            ftp.stop();
        }
    }

    private void photobooth(TestServers.Stoppable ftp) throws Exception {
        Map<String, String> remotes = new LinkedHashMap<>();
        remotes.put("webspace", ftp.server.freshLocation() + "?password=" + TestServers.PASSWORD
                + "&connectTimeout=2s&timeout=5s");
        remotes.put("usb", tmp.resolve("usb").toString());
        Path photos = tmp.resolve("booth");
        // Every 2 s, so the test need not wait 5 minutes; the booth itself uses 5 minutes.
        try (Photobooth booth = new Photobooth(photos, remotes, Duration.ofSeconds(2), new SyncJob.Listener() {})) {
            Map<String, SyncReport> first = booth.shoot(1);
            assertThat(first.get("webspace").succeeded()).isTrue();
            assertThat(first.get("usb").succeeded()).isTrue();

            ftp.stop();
            Map<String, SyncReport> second = booth.shoot(2);
            assertThat(second.get("usb").succeeded()).as("the USB disk does not wait for the webspace").isTrue();
            assertThat(second.get("webspace").succeeded()).isFalse();
            assertThat(photosIn(tmp.resolve("usb"))).containsExactlyInAnyOrder("IMG_0001.jpg", "IMG_0002.jpg");

            ftp.start();
            java.time.Instant back = java.time.Instant.now();
            booth.job().trigger(); // or wait for the next regular run
            awaitGoodRunAfter(booth.job(), "webspace", back, Duration.ofSeconds(30));
        }
        assertThat(photosIn(ftp.server.root())).containsExactlyInAnyOrder("IMG_0001.jpg", "IMG_0002.jpg");
        try (Stream<Path> all = Files.walk(ftp.server.root())) {
            assertThat(all.map(p -> p.getFileName().toString()).filter(TemporaryNames::isTemporary))
                    .as("no partial upload left visible").isEmpty();
        }
        for (String name : List.of("IMG_0001.jpg", "IMG_0002.jpg")) {
            assertThat(find(ftp.server.root(), name)).hasSameBinaryContentAs(find(photos, name));
        }
    }

    /** Waits for a run of {@code remote} that started after {@code since} and went well. */
    private static void awaitGoodRunAfter(SyncJob job, String remote, java.time.Instant since, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SyncJob.Status s = job.status().stream().filter(x -> x.destination().equals(remote)).findFirst().orElseThrow();
            if (!s.running() && s.consecutiveFailures() == 0
                    && s.lastReport().map(r -> r.started().isAfter(since) && r.succeeded()).orElse(false)) {
                return;
            }
            assertThat(System.nanoTime()).as("a good run of %s; status %s", remote, s).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static List<String> photosIn(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("IMG_")).toList();
        }
    }

    private static Path find(Path root, String name) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
        }
    }
}
