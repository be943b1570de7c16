package dev.ferry.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.SyncMode;
import dev.ferry.testkit.engine.CrashMatrix;
import dev.ferry.testkit.engine.KilledSync.Location;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 19's crash matrix between a local folder and S3 (S3Proxy, filesystem store; the killed
 * child reaches it over loopback): a mirror and a two-way run killed with SIGKILL as action k
 * starts, then run again; sampled points ({@code -Dferry.crash.points=all} tries every index up
 * to 30).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class S3CrashMatrixTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(value = SyncMode.class, names = {"MIRROR", "TWO_WAY"})
    void everyKillPointConverges(SyncMode mode) throws Exception {
        S3ProxyServer server = S3ProxyServer.get();
        CrashMatrix.Result r = CrashMatrix.run(work, mode, k -> new Location(
                "s3://" + S3ProxyServer.BUCKET + "/" + S3ProxyServer.freshPrefix("crash"), server.credentials()));
        System.out.println("[reliability] " + r.summary("s3"));
        assertThat(r.killedAt()).isNotEmpty();
    }
}
