package dev.ferry.backend.crypt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.SyncMode;
import dev.ferry.testkit.Leftovers;
import dev.ferry.testkit.TestSecrets;
import dev.ferry.testkit.engine.CrashMatrix;
import dev.ferry.testkit.engine.KilledSync.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 19's crash matrix between a local folder and {@code crypt:} over a local folder (names
 * and content encrypted): a mirror and a two-way run killed with SIGKILL as action k starts, then
 * run again; the matrix compares the decrypted side. Afterwards no temporary file is left in the
 * encrypted folder, under any name.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class CryptCrashMatrixTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(value = SyncMode.class, names = {"MIRROR", "TWO_WAY"})
    void everyKillPointConverges(SyncMode mode) throws Exception {
        Path vaults = Files.createDirectories(work.resolve("vaults"));
        CrashMatrix.Result r = CrashMatrix.run(work, mode, k -> new Location("crypt:" + vaults.resolve("k" + k),
                Map.of("password", TestSecrets.CRYPT_PASSWORD, "password2", TestSecrets.secret("crash salt"))));
        System.out.println("[reliability] " + r.summary("crypt (over local)"));
        assertThat(r.killedAt()).isNotEmpty();
        Leftovers.assertNoTemporaryFiles(vaults, "in the encrypted folders");
    }
}
