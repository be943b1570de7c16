package dev.ferry.backend.s3;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.engine.EngineRoundTripContract;
import java.util.Map;

/** The engine end to end: local → S3Proxy → local, with empty directories kept as markers. */
class S3EngineRoundTripTest extends EngineRoundTripContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        return S3ProxyServer.get().newTarget("roundtrip", Map.of("directoryMarkers", "true"));
    }
}
