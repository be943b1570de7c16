package dev.ferry.backend.vfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.SyncMode;
import dev.ferry.testkit.Leftovers;
import dev.ferry.testkit.engine.CrashMatrix;
import dev.ferry.testkit.engine.KilledSync.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 19's crash matrix between a local folder and {@code vfs:file:} (Commons VFS's local
 * provider: temporary name and rename, not atomic when replacing): a mirror and a two-way run
 * killed with SIGKILL as action k starts, then run again. Afterwards no temporary file is left.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class VfsCrashMatrixTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(value = SyncMode.class, names = {"MIRROR", "TWO_WAY"})
    void everyKillPointConverges(SyncMode mode) throws Exception {
        Path roots = Files.createDirectories(work.resolve("vfs"));
        CrashMatrix.Result r = CrashMatrix.run(work, mode,
                k -> Location.of("vfs:" + roots.resolve("k" + k).toUri()), 3);
        System.out.println("[reliability] " + r.summary("vfs:file"));
        assertThat(r.killedAt()).isNotEmpty();
        Leftovers.assertNoTemporaryFiles(roots, "by VFS writes");
    }
}
