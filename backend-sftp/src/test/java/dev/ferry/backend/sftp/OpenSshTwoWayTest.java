package dev.ferry.backend.sftp;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.engine.TwoWayContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The two-way scenario table between a local folder (A) and a real OpenSSH sshd (B). */
class OpenSshTwoWayTest extends TwoWayContract {

    @TempDir
    Path local;

    @Override
    protected SyncTarget newSideA() throws Exception {
        return SyncTargets.load().open(local.resolve("a").toString());
    }

    @Override
    protected SyncTarget newSideB() throws Exception {
        TestSshd sshd = TestSshd.shared();
        assumeThat(sshd).as("OpenSSH's server is not installed (/usr/sbin/sshd missing): the sftp two-way table is skipped")
                .isNotNull();
        return sshd.freshTarget(Map.of());
    }
}
