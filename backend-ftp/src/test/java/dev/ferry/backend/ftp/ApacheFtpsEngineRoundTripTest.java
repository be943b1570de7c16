package dev.ferry.backend.ftp;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.engine.EngineRoundTripContract;
import java.util.Map;

/** The engine end to end over explicit TLS. */
class ApacheFtpsEngineRoundTripTest extends EngineRoundTripContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        return TestServers.apacheTls().freshTarget(Map.of());
    }
}
