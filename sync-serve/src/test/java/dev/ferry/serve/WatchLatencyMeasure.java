package dev.ferry.serve;

import dev.ferry.backend.ftp.TestServers;
import dev.ferry.core.SyncTargets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a test (runs only with -Dferry.measure=true): the time from a file written
 * in a watched source to the moment it is on the destination, local and FTP, through a real
 * {@code ferry serve} config with {@code debounce = 200ms}.
 *
 * <pre>mvn -o -pl sync-serve verify -Dtest=WatchLatencyMeasure -Dferry.measure=true</pre>
 */
class WatchLatencyMeasure {

    @TempDir
    Path dir;

    @Test
    void watchLatency() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("ferry.measure"), "a measurement: run with -Dferry.measure=true");
        TestServers.Stoppable ftp = TestServers.stoppableApache();
        Path local = Files.createDirectories(dir.resolve("local-src"));
        Path ftpSrc = Files.createDirectories(dir.resolve("ftp-src"));
        Path dst = dir.resolve("dst");
        Path config = dir.resolve("ferry.conf");
        Files.writeString(config, """
                [job local]
                source = %s
                destination = %s
                watch = true
                debounce = 200ms

                [job ftp]
                source = %s
                destination = ftp://ferry:%s@127.0.0.1:%d/in
                watch = true
                debounce = 200ms
                """.formatted(local, dst, ftpSrc, TestServers.PASSWORD, ftp.server.port()));
        try (FerryServer server = ServeConfig.load(config, "127.0.0.1:0", null, SyncTargets.load(), System::getenv).build()) {
            server.start();
            List<Long> l = measure(local, dst, 7);
            List<Long> f = measure(ftpSrc, ftp.server.root().resolve("in"), 7);
            System.out.println("MEASURE watch latency local ms " + l + " median " + median(l));
            System.out.println("MEASURE watch latency ftp ms " + f + " median " + median(f));
        } finally {
            ftp.stop();
        }
    }

    private static List<Long> measure(Path src, Path dst, int n) throws Exception {
        List<Long> out = new ArrayList<>();
        Thread.sleep(1500); // the first full run at start-up is over
        for (int i = 0; i < n; i++) {
            String name = "photo-" + i + ".jpg";
            long t0 = System.nanoTime();
            Files.writeString(src.resolve(name), "photo " + i);
            while (!Files.exists(dst.resolve(name))) {
                if (System.nanoTime() - t0 > 30_000_000_000L) {
                    throw new AssertionError("never arrived: " + dst.resolve(name));
                }
                Thread.sleep(5);
            }
            out.add((System.nanoTime() - t0) / 1_000_000);
            Thread.sleep(500);
        }
        return out;
    }

    private static long median(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
