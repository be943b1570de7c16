package dev.ferry.backend.ftp;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.engine.AppendGrownContract;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/** Append-only file sync ({@code --append}) onto vsftpd through APPE. */
class VsftpdAppendGrownTest extends AppendGrownContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        TestServers.Server vsftpd = TestServers.vsftpd();
        Assumptions.assumeTrue(vsftpd != null, "vsftpd is not installed (apt-get install vsftpd)");
        return vsftpd.freshTarget(Map.of());
    }
}
