package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.SyncTargetContract;
import java.util.Map;

/**
 * The shared contract against vsftpd: no MLSD (LIST only, times to the minute, older files by
 * MDTM), no MFMT (two-argument MDTM sets times), no hashes. Skipped where /usr/sbin/vsftpd is
 * missing; {@code .ci/run} installs it. The file is the default 300 MiB; the directory has 2,000
 * entries: 10,000 uploads in a few seconds exhaust vsftpd's passive ports ("500 OOPS:
 * vsf_sysutil_bind", mapped as transient; the engine retries it, this test does not).
 */
class VsftpdContractTest extends SyncTargetContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        TestServers.Server server = TestServers.vsftpd();
        assumeThat(server).as("vsftpd is not installed (/usr/sbin/vsftpd missing; apt-get install vsftpd): "
                + "the vsftpd contract tests are skipped").isNotNull();
        return server.freshTarget(Map.of());
    }

    @Override
    protected int largeDirectorySize() {
        return 2_000;
    }
}
