package dev.ferry.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Issue 19's fault scenario on WebDAV, Nextcloud style (the in-process Nextcloud emulator,
 * chunked uploads of 5 MiB, its smallest): 500 small files and one 64 MiB file up and back down through the
 * shared {@link FaultProxy}, a fault every 128 to 384 KiB of traffic, connection-ending ones at
 * least 6 MiB apart (an upload resumes by whole chunks). Afterwards the server's directory holds
 * no temporary file.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WebDavFaultScenarioTest {

    @TempDir
    Path work;

    @Test
    void survivesAFaultEveryFewHundredKib() throws Exception {
        TestServers.Server server = TestServers.nextcloud();
        FaultPlan plan = FaultPlan.every(19, 128 << 10, 384 << 10, 6 << 20);
        String dir = "scenario" + System.nanoTime();
        try (FaultProxy proxy = FaultProxy.to(server.port()).plan(plan).start()) {
            Map<String, String> o = new TreeMap<>(server.options());
            o.put("chunkSize", Integer.toString(5 << 20));
            String at = server.scheme() + "://" + TestServers.USER + "@127.0.0.1:" + proxy.port() + server.prefix() + "/" + dir;
            FaultScenario.Result r = FaultScenario.run(work, FaultScenario.Shape.STANDARD, proxy,
                    () -> SyncTargets.load().open(at, o), SyncOptions.builder());
            System.out.println("[reliability] " + r.summary("webdav (Nextcloud emulator)"));
            assertThat(r.faults().destructive()).as("connection-ending faults injected").isGreaterThan(10);
            assertThat(r.retries()).as("retries the report counted").isPositive();
        }
        Leftovers.assertNoTemporaryFiles(server.root(), "on the server");
    }
}
