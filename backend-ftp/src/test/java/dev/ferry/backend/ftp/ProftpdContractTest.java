package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.SyncTargetContract;
import java.util.Map;

/**
 * The shared contract against ProFTPD 1.3.8 with mod_digest: MLSD, MFMT, REST STREAM and
 * server-side hashes (HASH, XMD5, XSHA1, XSHA256, XCRC). Skipped where ProFTPD is not found
 * (see {@link TestServers#PROFTPD}). Small sizes: the Apache FtpServer run covers the 300 MiB
 * file and the large listing.
 */
class ProftpdContractTest extends SyncTargetContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        TestServers.Server server = TestServers.proftpd();
        assumeThat(server).as("ProFTPD with mod_digest not found (Debian proftpd-core; see TestServers.PROFTPD): "
                + "the ProFTPD contract tests are skipped").isNotNull();
        return server.freshTarget(Map.of());
    }

    @Override
    protected long largeFileSize() {
        return 8L << 20;
    }

    @Override
    protected int largeDirectorySize() {
        return 200;
    }
}
