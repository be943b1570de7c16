package dev.ferry.backend.emoncms;

import static dev.ferry.backend.emoncms.EmoncmsSyncTest.T0;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.assertSameBytes;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.fina;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.idOf;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.open;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.series;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.FaultPlan;
import dev.ferry.testkit.FaultProxy;
import dev.ferry.testkit.engine.FaultScenario;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 19's fault scenario scaled to what an Emoncms target holds: feeds, not files. Twelve
 * PHPFina feeds of 20,000 slots and six PHPTimeSeries feeds of 4,000 points (about 1.2 MB of
 * feed data) go from one real instance to another through the shared {@link FaultProxy} with a
 * fault every 64 to 192 KiB of traffic (connection-ending ones at least 160 KiB apart, and
 * {@code feed/sync} requests of 32 KiB so one fits between them), then back from that instance,
 * through the proxy, into a third. Every feed must arrive byte for byte (the data files hold the
 * times), a second upload must find nothing to do, and the retries are counted. Emoncms has no
 * temporary names: a cut request is either refused by the server's CRC check or not applied.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EmoncmsFaultScenarioTest {

    private static final int FINA = 12;
    private static final int SERIES = 6;
    static EmoncmsServers.Instance source;
    static EmoncmsServers.Instance remote;
    static EmoncmsServers.Instance back;

    @BeforeAll
    static void start() throws Exception {
        source = EmoncmsServers.shared().newInstance();
        remote = EmoncmsServers.shared().newInstance();
        back = EmoncmsServers.shared().newInstance();
    }

    @AfterAll
    static void stop() throws Exception {
        for (EmoncmsServers.Instance i : new EmoncmsServers.Instance[] {source, remote, back}) {
            if (i != null) {
                i.close();
            }
        }
    }

    @Test
    void manyFeedsSurviveAFaultEveryFewHundredKib() throws Exception {
        int[] fina = new int[FINA];
        int[] ts = new int[SERIES];
        for (int i = 0; i < FINA; i++) {
            fina[i] = fina(source, "fs", "power" + i, 10, T0 + i, 20_000);
        }
        for (int i = 0; i < SERIES; i++) {
            ts[i] = series(source, "fs", "temp" + i, T0 + i, 4_000);
        }
        FaultPlan plan = FaultPlan.every(19, 64 << 10, 192 << 10, 160 << 10);
        SyncReport up;
        SyncReport down;
        FaultProxy.Counts counts;
        try (FaultProxy toRemote = FaultProxy.to(remote.port()).plan(plan).start()) {
            try (SyncTarget from = open(source); SyncTarget to = through(toRemote)) {
                toRemote.faultsOn(true);
                up = Sync.between(from, to, options()).run();
                toRemote.faultsOn(false);
                assertThat(up.failures()).as("upload failures").isEmpty();
                assertThat(Sync.between(from, to, options()).dryRun().actions()).as("a second upload").isEmpty();
            }
            try (SyncTarget from = through(toRemote); SyncTarget to = open(back)) {
                toRemote.faultsOn(true);
                down = Sync.between(from, to, options()).run();
                toRemote.faultsOn(false);
                assertThat(down.failures()).as("download failures").isEmpty();
            }
            counts = toRemote.counts();
        }
        for (int i = 0; i < FINA; i++) {
            for (EmoncmsServers.Instance copy : new EmoncmsServers.Instance[] {remote, back}) {
                int id = idOf(copy, "fs", "power" + i);
                assertSameBytes(copy.phpfinaData(id), source.phpfinaData(fina[i]));
                assertSameBytes(copy.phpfinaMeta(id), source.phpfinaMeta(fina[i]));
            }
        }
        for (int i = 0; i < SERIES; i++) {
            for (EmoncmsServers.Instance copy : new EmoncmsServers.Instance[] {remote, back}) {
                assertSameBytes(copy.phptimeseriesData(idOf(copy, "fs", "temp" + i)), source.phptimeseriesData(ts[i]));
            }
        }
        System.out.println("[reliability] emoncms: " + (FINA + SERIES) + " feeds up and down; " + counts.faults()
                + " faults injected (" + counts.injected() + ", " + counts.refused() + " connections refused), "
                + (up.retries() + down.retries()) + " retries counted, 0 failures; up " + up.duration().toMillis()
                + " ms, down " + down.duration().toMillis() + " ms");
        assertThat(counts.destructive()).as("connection-ending faults injected").isGreaterThan(3);
        assertThat(up.retries() + down.retries()).as("retries the report counted").isPositive();
    }

    private static SyncTarget through(FaultProxy proxy) throws IOException {
        return SyncTargets.load().open("emoncms://127.0.0.1:" + proxy.port() + "/",
                Map.of("apikey", remote.writeKey(), "uploadBudget", "32768", "timeout", "10s"));
    }

    private static SyncOptions options() {
        return SyncOptions.builder().retry(FaultScenario.PATIENT)
                .filter(dev.ferry.core.Filter.builder().include("fs/**").build()).build();
    }
}
