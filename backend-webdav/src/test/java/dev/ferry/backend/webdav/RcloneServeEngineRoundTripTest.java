package dev.ferry.backend.webdav;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.engine.EngineRoundTripContract;
import java.util.Map;

/** The engine end to end: local → rclone serve webdav → local. */
class RcloneServeEngineRoundTripTest extends EngineRoundTripContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        return TestServers.rcloneOrSkip().freshTarget(Map.of());
    }
}
