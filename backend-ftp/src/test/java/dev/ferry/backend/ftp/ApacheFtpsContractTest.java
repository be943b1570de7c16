package dev.ferry.backend.ftp;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.SyncTargetContract;
import java.util.Map;

/**
 * The shared contract against Apache FtpServer with explicit TLS (AUTH TLS, PBSZ 0, PROT P), the
 * server's self-signed certificate pinned by its SHA-256 fingerprint. Every data connection is a
 * TLS handshake, so the large file is 32 MiB and the large directory 500 entries; the plain-FTP
 * run covers the 300 MiB and the bigger listing.
 */
class ApacheFtpsContractTest extends SyncTargetContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        return TestServers.apacheTls().freshTarget(Map.of());
    }

    @Override
    protected long largeFileSize() {
        return 32L << 20;
    }

    @Override
    protected int largeDirectorySize() {
        return 500;
    }
}
