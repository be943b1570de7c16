package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.Leftovers;
import dev.ferry.testkit.FaultPlan;
import dev.ferry.testkit.FaultProxy;
import dev.ferry.testkit.engine.FaultScenario;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's fault scenario on FTPS with explicit TLS (Apache FtpServer, certificate pinned).
 * What holds: the {@link FaultProxy} relays the control connection's bytes as they are, so cuts,
 * resets, stalls, trickles and refusals hit it (inside TLS, a cut is a truncated record, a reset
 * a dead session); it cannot read the encrypted {@code 227} replies, so it cannot rewrite them
 * and the data connections go straight to the server, unfaulted. The faults are therefore dense
 * (every 2 to 8 KiB of control traffic) and the large file is shrunk to 8 MiB (its bytes never
 * cross the proxy). Afterwards the server's directory holds no temporary file once a listing
 * has swept what the cut removals left (see below).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class FtpsFaultScenarioTest {

    @TempDir
    Path work;

    @Test
    void survivesFaultsOnTheEncryptedControlConnection() throws Exception {
        TestServers.Server server = TestServers.apacheTls();
        FaultPlan plan = FaultPlan.every(19, 2 << 10, 8 << 10, 8 << 10);
        String dir = "scenario-tls-" + System.nanoTime();
        try (FaultProxy proxy = FaultProxy.to(server.port()).plan(plan).start()) {
            Map<String, String> o = new TreeMap<>(server.options());
            o.put("timeout", "10s");
            String at = "ftps://" + o.get("user") + "@127.0.0.1:" + proxy.port() + "/" + dir;
            FaultScenario.Shape shape = new FaultScenario.Shape(500, 16 << 10, 8L << 20, 19);
            FaultScenario.Result r = FaultScenario.run(work, shape, proxy, () -> SyncTargets.load().open(at, o),
                    SyncOptions.builder());
            System.out.println("[reliability] " + r.summary("ftps (Apache FtpServer, control connection only)"));
            assertThat(r.faults().destructive()).as("connection-ending faults injected").isGreaterThan(10);
            assertThat(r.retries()).as("retries the report counted").isPositive();
        }
        // A failed upload's temporary file is removed on a fresh connection, whose TLS handshake
        // (a few KiB) a fault this dense often cuts too: what is left is hidden from listings and
        // swept by the next listing once older than tempMaxAge. Show that sweep, with a short age.
        long left = temporaries(server.root().resolve(dir));
        Map<String, String> direct = new TreeMap<>(server.options());
        direct.put("tempMaxAge", "1ms");
        try (SyncTarget local = SyncTargets.load().open(work.resolve("src").toString());
                SyncTarget remote = SyncTargets.load().open("ftps://" + direct.get("user") + "@127.0.0.1:"
                        + server.port() + "/" + dir, direct)) {
            assertThat(Sync.between(local, remote, SyncOptions.builder().build()).dryRun().actions())
                    .as("nothing to do after the scenario").isEmpty();
        }
        System.out.println("[reliability] ftps: " + left + " temporary files the cut removals left, swept by the next listing");
        assertThat(temporaries(server.root().resolve(dir))).as("temporary files left on the server after the sweep")
                .isZero();
    }

    private static long temporaries(Path dir) throws Exception {
        return Leftovers.temporaryFiles(dir).size();
    }
}
