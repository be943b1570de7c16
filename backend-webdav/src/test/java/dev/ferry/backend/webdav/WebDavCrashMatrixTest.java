package dev.ferry.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.SyncMode;
import dev.ferry.testkit.Leftovers;
import dev.ferry.testkit.engine.CrashMatrix;
import dev.ferry.testkit.engine.KilledSync.Location;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 19's crash matrix between a local folder and WebDAV, on both dialects: Apache httpd with
 * mod_dav (generic) and the Nextcloud emulator (chunked uploads); the killed child reaches the
 * server over loopback. A mirror and a two-way run killed with SIGKILL as action k starts, then
 * run again. Three points per matrix in CI (the first, the last and one seeded pick;
 * {@code -Dferry.crash.seed=N} picks another, {@code -Dferry.crash.points=all} tries every index
 * up to 30).
 * Afterwards the server's directory holds no temporary file.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class WebDavCrashMatrixTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @CsvSource({"apache, MIRROR", "apache, TWO_WAY", "nextcloud, MIRROR", "nextcloud, TWO_WAY"})
    void everyKillPointConverges(String which, SyncMode mode) throws Exception {
        TestServers.Server server = which.equals("apache") ? TestServers.apacheOrSkip() : TestServers.nextcloud();
        String dir = "crash-" + mode + "-" + System.nanoTime();
        CrashMatrix.Result r = CrashMatrix.run(work, mode, k -> new Location(server.scheme() + "://" + TestServers.USER
                + "@127.0.0.1:" + server.port() + server.prefix() + "/" + dir + "-k" + (k + 1), server.options()), 3);
        System.out.println("[reliability] " + r.summary("webdav (" + which + ")"));
        assertThat(r.killedAt()).isNotEmpty();
        // The collection's parent must exist on WebDAV: each run's side B is a sibling, dir-kN.
        assertThat(Leftovers.temporaryFiles(server.root()).stream().filter(p -> p.toString().startsWith(dir)))
                .as("temporary files left on the server").isEmpty();
    }
}
