package dev.ferry.backend.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.core.SyncMode;
import dev.ferry.testkit.Leftovers;
import dev.ferry.testkit.engine.CrashMatrix;
import dev.ferry.testkit.engine.KilledSync.Location;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 19's crash matrix between a local folder and SFTP (the real OpenSSH server of
 * {@link TestSshd}; the killed child logs in by key over loopback): a mirror and a two-way run
 * killed with SIGKILL as action k starts, then run again. Three points per
 * matrix in CI (the first, the last and one seeded pick; {@code -Dferry.crash.seed=N} picks
 * another, {@code -Dferry.crash.points=all} tries every index up to 30). Afterwards the server's
 * directory holds no temporary file.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SftpCrashMatrixTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(value = SyncMode.class, names = {"MIRROR", "TWO_WAY"})
    void everyKillPointConverges(SyncMode mode) throws Exception {
        TestSshd sshd = TestSshd.shared();
        assumeThat(sshd).as("OpenSSH's server is not installed (/usr/sbin/sshd missing)").isNotNull();
        Path root = sshd.freshRoot(Optional.empty());
        CrashMatrix.Result r = CrashMatrix.run(work, mode,
                k -> new Location(sshd.location(sshd.user, root.resolve("k" + (k + 1))), sshd.keyOptions()), 3);
        System.out.println("[reliability] " + r.summary("sftp (OpenSSH)"));
        assertThat(r.killedAt()).isNotEmpty();
        Leftovers.assertNoTemporaryFiles(root, "on the server");
    }
}
