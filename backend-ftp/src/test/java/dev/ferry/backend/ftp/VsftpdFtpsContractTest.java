package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.SyncTargetContract;
import java.util.Map;

/**
 * The shared contract against vsftpd with explicit TLS and {@code require_ssl_reuse=YES}, its
 * default: it passes only if every data connection resumes the control connection's TLS session
 * ({@link ReusingFtpsClient}). Smaller sizes than the plain runs (a handshake per transfer).
 * Skipped where /usr/sbin/vsftpd is missing.
 */
class VsftpdFtpsContractTest extends SyncTargetContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        TestServers.Server server = TestServers.vsftpdTls();
        assumeThat(server).as("vsftpd is not installed (/usr/sbin/vsftpd missing; apt-get install vsftpd): "
                + "the vsftpd TLS contract tests are skipped").isNotNull();
        return server.freshTarget(Map.of());
    }

    @Override
    protected long largeFileSize() {
        return 16L << 20;
    }

    @Override
    protected int largeDirectorySize() {
        return 500;
    }
}
