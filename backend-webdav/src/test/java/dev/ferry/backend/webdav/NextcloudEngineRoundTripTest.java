package dev.ferry.backend.webdav;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.engine.EngineRoundTripContract;
import java.util.Map;

/** The engine end to end: local → Nextcloud emulator (keeps times to the second) → local. */
class NextcloudEngineRoundTripTest extends EngineRoundTripContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        return TestServers.nextcloud().freshTarget(Map.of());
    }
}
