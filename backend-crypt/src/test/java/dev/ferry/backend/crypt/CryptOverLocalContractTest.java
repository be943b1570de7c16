package dev.ferry.backend.crypt;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.TestSecrets;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.SyncTargetContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The shared contract on {@code crypt:} over a local folder, opened as a user would. */
class CryptOverLocalContractTest extends SyncTargetContract {

    @TempDir
    Path dir;

    @Override
    protected SyncTarget newTarget() throws Exception {
        return SyncTargets.load().open("crypt:" + dir, Map.of("password", TestSecrets.secret("contract"), "password2", TestSecrets.secret("salt")));
    }
}
