package dev.ferry.backend.local;

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
 * Issue 19's crash matrix between two local folders: a mirror and a two-way run killed with
 * SIGKILL as action k starts, then run again; sampled points ({@code -Dferry.crash.points=all}
 * tries every index up to 30).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LocalCrashMatrixTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(value = SyncMode.class, names = {"MIRROR", "TWO_WAY"})
    void everyKillPointConverges(SyncMode mode) throws Exception {
        CrashMatrix.Result r = CrashMatrix.run(work, mode, k -> Location.of(work.resolve("b-" + k).toString()));
        System.out.println("[reliability] " + r.summary("local"));
        assertThat(r.killedAt()).isNotEmpty();
    }
}
