package dev.ferry.backend.webdav;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.engine.TwoWayContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-way scenario table between a local folder (A) and the Nextcloud emulator (B). Not run
 * against Apache or rclone serve: their conflict rows (newest wins, keep both) need times the
 * servers cannot keep — every upload is stamped with its arrival.
 */
class NextcloudTwoWayTest extends TwoWayContract {

    @TempDir
    Path local;

    @Override
    protected SyncTarget newSideA() throws Exception {
        return SyncTargets.load().open(local.resolve("a").toString());
    }

    @Override
    protected SyncTarget newSideB() throws Exception {
        return TestServers.nextcloud().freshTarget(Map.of());
    }
}
