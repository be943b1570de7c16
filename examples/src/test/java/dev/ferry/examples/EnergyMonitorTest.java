package dev.ferry.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.backend.emoncms.EmoncmsServers;
import dev.ferry.core.SyncJob;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The energy monitor against two real Emoncms instances: the local one keeps recording while the
 * job uploads every second; the remote server goes away in the middle and comes back; in the end
 * the remote's data files are the local's, byte for byte: every sample arrived exactly once.
 */
class EnergyMonitorTest {

    private static final long T0 = 1_700_000_000L;

    @Test
    void everySampleArrivesOnceThroughAnOutage() throws Exception {
        EmoncmsServers servers = EmoncmsServers.shared();
        try (EmoncmsServers.Instance local = servers.newInstance(); EmoncmsServers.Instance remote = servers.newInstance()) {
            int power = local.createFeed("house", "power", 5, 10);
            int temp = local.createFeed("house", "temp", 2, 10);
            int ignored = local.createFeed("garden", "rain", 5, 10);
            AtomicInteger next = new AtomicInteger();
            record(local, power, temp, next, 300);

            AtomicInteger failedRuns = new AtomicInteger();
            AtomicInteger goodRuns = new AtomicInteger();
            SyncJob.Listener count = new SyncJob.Listener() {
                @Override
                public void runEnded(SyncJob.Status s, boolean failed) {
                    (failed ? failedRuns : goodRuns).incrementAndGet();
                }
            };
            AtomicBoolean recording = new AtomicBoolean(true);
            Thread recorder = new Thread(() -> {
                try {
                    while (recording.get()) {
                        record(local, power, temp, next, 3);
                        Thread.sleep(50);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "recorder");
            try (EnergyMonitor m = new EnergyMonitor(local.location(), Map.of("apikey", local.writeKey()),
                    remote.location(), Map.of("apikey", remote.writeKey()), "house/*",
                    Duration.ofSeconds(1), Duration.ofMillis(500), count)) {
                recorder.start();
                waitFor(() -> goodRuns.get() >= 2);
                remote.stop(); // the internet is down; the local side keeps recording
                waitFor(() -> failedRuns.get() >= 1);
                Thread.sleep(1500);
                remote.start();
                int before = goodRuns.get();
                waitFor(() -> goodRuns.get() > before);
                recording.set(false);
                recorder.join();
                m.job().trigger();
                waitFor(() -> {
                    try {
                        return remoteId(remote, "power") > 0
                                && Arrays.equals(remote.phpfinaData(remoteId(remote, "power")), local.phpfinaData(power))
                                && Arrays.equals(remote.phptimeseriesData(remoteId(remote, "temp")), local.phptimeseriesData(temp));
                    } catch (Exception e) {
                        return false;
                    }
                });
            } finally {
                recording.set(false);
                recorder.join();
            }
            assertThat(failedRuns.get()).as("runs failed during the outage").isPositive();
            assertThat(next.get()).isGreaterThan(300);
            assertThat(remote.phpfinaData(remoteId(remote, "power"))).hasSize(next.get() * 4);
            assertThat(remoteId(remote, "rain")).as("only house/* goes").isEqualTo(-1);
            assertThat(ignored).isPositive();
        }
    }

    private static void record(EmoncmsServers.Instance local, int power, int temp, AtomicInteger next, int n) throws Exception {
        long[] t = new long[n];
        float[] v = new float[n];
        int first = next.getAndAdd(n);
        for (int i = 0; i < n; i++) {
            t[i] = T0 + (first + i) * 10L;
            v[i] = 200 + (first + i) % 50;
        }
        local.post(power, t, v);
        local.post(temp, t, v);
    }

    private static int remoteId(EmoncmsServers.Instance remote, String name) throws Exception {
        for (var f : remote.get("feed/list.json", Map.of())) {
            if (f.path("tag").asText().equals("house") && f.path("name").asText().equals(name)) {
                return f.path("id").asInt();
            }
        }
        for (var f : remote.get("feed/list.json", Map.of())) {
            if (f.path("name").asText().equals(name)) {
                return f.path("id").asInt();
            }
        }
        return -1;
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check c) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!c.ok()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(100);
        }
    }
}
