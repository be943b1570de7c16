package dev.ferry.backend.ftp;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.engine.EngineRoundTripContract;
import java.util.Map;

/** The engine end to end: local → Apache FtpServer (plain) → local. */
class ApacheFtpEngineRoundTripTest extends EngineRoundTripContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        return TestServers.apachePlain().freshTarget(Map.of());
    }
}
