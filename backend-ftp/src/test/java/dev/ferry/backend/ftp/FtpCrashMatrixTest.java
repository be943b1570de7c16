package dev.ferry.backend.ftp;

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
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 19's crash matrix between a local folder and FTP (Apache FtpServer, plain; the killed
 * child reaches it over loopback): a mirror and a two-way run killed with SIGKILL as action k
 * starts, then run again. Three points per matrix in CI (the first, the last and one seeded
 * pick; {@code -Dferry.crash.seed=N} picks another, {@code -Dferry.crash.points=all} tries every
 * index up to 30). Afterwards the server holds no temporary file: the rerun swept what the kill left.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class FtpCrashMatrixTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(value = SyncMode.class, names = {"MIRROR", "TWO_WAY"})
    void everyKillPointConverges(SyncMode mode) throws Exception {
        TestServers.Server server = TestServers.apachePlain();
        String dir = "crash-" + mode + "-" + System.nanoTime();
        CrashMatrix.Result r = CrashMatrix.run(work, mode, k -> new Location(
                "ftp://" + server.options().get("user") + "@127.0.0.1:" + server.port() + "/" + dir + "/k" + (k + 1),
                server.options()), 3);
        System.out.println("[reliability] " + r.summary("ftp (Apache FtpServer)"));
        assertThat(r.killedAt()).isNotEmpty();
        Leftovers.assertNoTemporaryFiles(server.root().resolve(dir), "on the server");
    }
}
