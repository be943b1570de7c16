package dev.ferry.backend.local;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.engine.AppendGrownContract;

/** Append-only file sync ({@code --append}) onto a local folder. */
class LocalAppendGrownTest extends AppendGrownContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        return SyncTargets.load().open(tmp.resolve("dst").toString());
    }
}
