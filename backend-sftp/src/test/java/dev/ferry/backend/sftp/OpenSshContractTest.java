package dev.ferry.backend.sftp;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.SyncTargetContract;
import java.util.Map;

/**
 * The shared contract against a real OpenSSH sshd ({@link TestSshd}), key login. Skipped where
 * /usr/sbin/sshd is missing; {@code .ci/run} installs openssh-server.
 */
class OpenSshContractTest extends SyncTargetContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        TestSshd sshd = TestSshd.shared();
        assumeThat(sshd).as("OpenSSH's server is not installed (/usr/sbin/sshd missing; apt-get install openssh-server): "
                + "the sftp contract tests are skipped").isNotNull();
        return sshd.freshTarget(Map.of());
    }

    @Override
    protected int largeDirectorySize() {
        return 3_000;
    }
}
