package dev.ferry.backend.crypt;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.TestSecrets;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.engine.EngineRoundTripContract;
import java.util.Map;

/** The engine end to end through {@code crypt:} over a local folder. */
class CryptEngineRoundTripTest extends EngineRoundTripContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        return SyncTargets.load().open("crypt:" + tmp.resolve("remote"), Map.of("password", TestSecrets.secret("round trip")));
    }
}
