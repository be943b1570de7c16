package dev.ferry.backend.syncthing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.TargetSpec;
import dev.ferry.core.SyncOptions;
import dev.ferry.testkit.Leftovers;
import dev.ferry.testkit.FaultPlan;
import dev.ferry.testkit.FaultProxy;
import dev.ferry.testkit.engine.FaultScenario;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's fault scenario on a Syncthing folder, the faults on the admin REST API the target
 * speaks (config, scans of the changed paths): the files themselves go to the folder on this
 * machine's disk and never cross the proxy, so the large file is shrunk to 8 MiB and the faults
 * come every 1 to 4 KiB of REST traffic (connection-ending ones at least 6 KiB apart, so a scan
 * request of up to 100 paths fits between them) instead of every few hundred KiB. A real node ({@code syncthing} as installed, GUI on loopback); 500 small
 * files and the large one up and back down; afterwards no temporary name in the folder, and the
 * node's index holds every file (a scan cut on the way is asked again). The scans run in the
 * background of the target and are retried there, not by the engine, so the engine's retry count
 * is reported but not required.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SyncthingFaultScenarioTest {

    @TempDir
    Path work;

    @Test
    void survivesAFaultEveryFewKibOfRestTraffic() throws Exception {
        try (TestNodes nodes = new TestNodes()) {
            SyncthingProcess a = nodes.start("a");
            Path folder = Files.createDirectories(nodes.root.resolve("a-shared"));
            a.node().addFolder(FolderConfig.builder("shared", folder).fsWatcher(false).rescanIntervalS(0).build());
            FaultPlan plan = FaultPlan.every(19, 1 << 10, 4 << 10, 6 << 10);
            try (FaultProxy proxy = FaultProxy.to(a.guiUri().getPort()).plan(plan).start()) {
                URI at = URI.create("syncthing://127.0.0.1:" + proxy.port() + "/shared");
                FaultScenario.Shape shape = new FaultScenario.Shape(500, 16 << 10, 8L << 20, 19);
                FaultScenario.Result r = FaultScenario.run(work, shape, proxy,
                        () -> new SyncthingTargetProvider().open(new TargetSpec(at, Map.of("apikey", a.apiKey()))),
                        SyncOptions.builder());
                System.out.println("[reliability] " + r.summary("syncthing (REST API)"));
                assertThat(r.faults().destructive()).as("connection-ending faults injected").isGreaterThan(1);
            }
            assertThat(a.node().folderStatus("shared").localFiles()).as("files in the node's index")
                    .isEqualTo(FaultScenario.Shape.STANDARD.smallFiles() + 1L);
            Leftovers.assertNoTemporaryFiles(folder, "in the folder");
        }
    }
}
