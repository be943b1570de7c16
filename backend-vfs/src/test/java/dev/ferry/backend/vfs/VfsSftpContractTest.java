package dev.ferry.backend.vfs;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetSpec;
import dev.ferry.backend.sftp.TestSshd;
import dev.ferry.testkit.SyncTargetContract;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The shared contract over {@code vfs:sftp://}: Commons VFS's SFTP provider (JSch) against a real
 * OpenSSH server on loopback, key login, host key checked against its known_hosts. Names with
 * {@code ?} or {@code *} are refused (JSch reads them as patterns).
 */
class VfsSftpContractTest extends SyncTargetContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        TestSshd sshd = TestSshd.shared();
        assumeThat(sshd).as("OpenSSH's server is not installed (/usr/sbin/sshd missing; apt-get install openssh-server): "
                + "the vfs:sftp contract tests are skipped").isNotNull();
        Path root = sshd.freshRoot(Optional.empty()).resolve("root");
        return new VfsTargetProvider().open(new TargetSpec(URI.create("vfs:" + sshd.location(sshd.user, root)),
                sshd.keyOptions()));
    }

    @Override
    protected boolean refusesName(String name) {
        return name.indexOf('?') >= 0 || name.indexOf('*') >= 0; // JSch's globbing, see VfsWrites
    }

    @Override
    protected int largeDirectorySize() {
        return 300;
    }
}
