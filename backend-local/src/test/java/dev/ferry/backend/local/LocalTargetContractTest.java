package dev.ferry.backend.local;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.SyncTargetContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The shared contract, against a fresh directory per test. */
class LocalTargetContractTest extends SyncTargetContract {

    @TempDir
    Path dir;

    @Override
    protected SyncTarget newTarget() {
        return new LocalTarget(dir);
    }
}
