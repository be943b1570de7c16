package dev.ferry.backend.webdav;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.engine.EngineRoundTripContract;
import java.util.Map;

/** The engine end to end: local → Apache mod_dav (which keeps no modification times) → local. */
class ApacheEngineRoundTripTest extends EngineRoundTripContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        return TestServers.apacheOrSkip().freshTarget(Map.of());
    }
}
