package dev.ferry.backend.local;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.engine.TwoWayContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The two-way scenario table, local folder to local folder. */
class LocalTwoWayTest extends TwoWayContract {

    @TempDir
    Path folders;

    @Override
    protected SyncTarget newSideA() throws Exception {
        return SyncTargets.load().open(folders.resolve("a").toString());
    }

    @Override
    protected SyncTarget newSideB() throws Exception {
        return SyncTargets.load().open(folders.resolve("b").toString());
    }
}
