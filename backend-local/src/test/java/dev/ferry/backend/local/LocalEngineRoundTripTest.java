package dev.ferry.backend.local;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.engine.EngineRoundTripContract;

/** The engine round trip with the local backend on both ends. */
class LocalEngineRoundTripTest extends EngineRoundTripContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        return SyncTargets.load().open(tmp.resolve("remote").toString());
    }
}
