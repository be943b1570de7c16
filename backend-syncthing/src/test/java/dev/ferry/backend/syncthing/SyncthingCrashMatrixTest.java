package dev.ferry.backend.syncthing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.SyncMode;
import dev.ferry.testkit.Leftovers;
import dev.ferry.testkit.engine.CrashMatrix;
import dev.ferry.testkit.engine.KilledSync.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 19's crash matrix between a local folder and a Syncthing folder of a real node (the
 * killed child reaches its REST API over loopback): a mirror and a two-way run killed with
 * SIGKILL as action k starts, then run again. Besides what the matrix checks, the node's own
 * index must hold every file of the folder afterwards: a run killed after writing a file but
 * before asking the node to scan it must not leave the file unknown to Syncthing (and so never
 * sent to its peers). Three points per matrix in CI (the first, the last and one seeded pick;
 * {@code -Dferry.crash.seed=N} picks another, {@code -Dferry.crash.points=all} tries every index
 * up to 30).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SyncthingCrashMatrixTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(value = SyncMode.class, names = {"MIRROR", "TWO_WAY"})
    void everyKillPointConverges(SyncMode mode) throws Exception {
        try (TestNodes nodes = new TestNodes()) {
            SyncthingProcess a = nodes.start("a");
            Map<String, Path> folders = new TreeMap<>();
            CrashMatrix.Result r = CrashMatrix.run(work, mode, k -> {
                String id = "crash" + (k + 1);
                try {
                    Path dir = Files.createDirectories(nodes.root.resolve(id));
                    a.node().addFolder(FolderConfig.builder(id, dir).fsWatcher(false).rescanIntervalS(0).build());
                    folders.put(id, dir);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return new Location("syncthing://127.0.0.1:" + a.guiUri().getPort() + "/" + id,
                        Map.of("apikey", a.apiKey()));
            }, 3);
            System.out.println("[reliability] " + r.summary("syncthing (REST API)"));
            assertThat(r.killedAt()).isNotEmpty();
            for (Map.Entry<String, Path> f : folders.entrySet()) {
                long onDisk;
                try (Stream<Path> s = Files.walk(f.getValue())) {
                    onDisk = s.filter(Files::isRegularFile)
                            .filter(p -> !f.getValue().relativize(p).toString().startsWith(".st")).count();
                }
                assertThat(a.node().folderStatus(f.getKey()).localFiles())
                        .as("files of folder " + f.getKey() + " in the node's index").isEqualTo(onDisk);
                Leftovers.assertNoTemporaryFiles(f.getValue(), "in " + f.getKey());
            }
        }
    }
}
