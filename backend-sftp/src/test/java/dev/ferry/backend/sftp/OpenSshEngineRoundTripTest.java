package dev.ferry.backend.sftp;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.engine.EngineRoundTripContract;
import java.util.Map;

/** The engine end to end through a real OpenSSH sshd; skipped where sshd is missing. */
class OpenSshEngineRoundTripTest extends EngineRoundTripContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        TestSshd sshd = TestSshd.shared();
        assumeThat(sshd).as("OpenSSH's server is not installed (/usr/sbin/sshd missing): the sftp round trip is skipped")
                .isNotNull();
        return sshd.freshTarget(Map.of());
    }
}
