package dev.ferry.backend.ftp;

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
 * Issue 19's fault scenario on plain FTP (Apache FtpServer): 500 small files and one 64 MiB file
 * up and back down through the shared {@link FaultProxy}, which relays the data connections too
 * (it rewrites the PASV replies); a fault every 128 to 384 KiB of control and data traffic,
 * connection-ending ones at least 3 MiB apart so the large file needs fewer retries than the
 * policy's 40 attempts (FTP resumes by the byte, with REST and APPE). Afterwards the server's
 * directory holds no temporary file.
 *
 * <p>Both halves meet cuts and resets. A RETR whose data connection is cut ends early like a
 * clean end of file; the engine then asks the server again (a stat) and, the file being as
 * listed, retries the copy (the local side resumes its partial file) instead of reporting a
 * changed source. The download's retries therefore count cuts too.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FtpFaultScenarioTest {

    @TempDir
    Path work;

    @Test
    void survivesAFaultEveryFewHundredKib() throws Exception {
        TestServers.Server server = TestServers.apachePlain();
        FaultPlan plan = FaultPlan.every(19, 128 << 10, 384 << 10, 3 << 20);
        String dir = "scenario-" + System.nanoTime();
        try (FaultProxy proxy = FaultProxy.to(server.port()).plan(plan).ftpPassive().start()) {
            Map<String, String> o = new TreeMap<>(server.options());
            o.put("timeout", "10s");
            String at = "ftp://" + o.get("user") + "@127.0.0.1:" + proxy.port() + "/" + dir;
            FaultScenario.Result r = FaultScenario.run(work, FaultScenario.Shape.STANDARD, proxy,
                    () -> SyncTargets.load().open(at, o), SyncOptions.builder());
            System.out.println("[reliability] " + r.summary("ftp (Apache FtpServer)"));
            assertThat(r.faults().destructive()).as("connection-ending faults injected").isGreaterThan(10);
            assertThat(r.retries()).as("retries the report counted").isPositive();
            assertThat(r.download().retries()).as("the download's retries (cut data connections)").isPositive();
        }
        Leftovers.assertNoTemporaryFiles(server.root().resolve(dir), "on the server");
    }
}
