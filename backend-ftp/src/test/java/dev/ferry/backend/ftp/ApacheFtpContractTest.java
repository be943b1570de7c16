package dev.ferry.backend.ftp;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.SyncTargetContract;
import java.util.Map;

/**
 * The shared contract against Apache FtpServer over plain FTP (MLSD, MFMT, MD5). The large file
 * keeps the default 300 MiB (more than the test heap). Apache FtpServer handles about 150
 * uploads a second here, so the large directory has 2,000 entries rather than 10,000.
 */
class ApacheFtpContractTest extends SyncTargetContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        return TestServers.apachePlain().freshTarget(Map.of());
    }

    @Override
    protected int largeDirectorySize() {
        return 2_000;
    }
}
