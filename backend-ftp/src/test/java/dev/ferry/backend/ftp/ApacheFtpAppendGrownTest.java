package dev.ferry.backend.ftp;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.engine.AppendGrownContract;
import java.util.Map;

/** Append-only file sync ({@code --append}) onto Apache FtpServer through APPE. */
class ApacheFtpAppendGrownTest extends AppendGrownContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        return TestServers.apachePlain().freshTarget(Map.of());
    }
}
