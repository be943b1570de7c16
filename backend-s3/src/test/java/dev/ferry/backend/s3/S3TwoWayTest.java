package dev.ferry.backend.s3;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.engine.TwoWayContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-way scenario table between a local folder (A) and a bucket on S3Proxy (B), with the
 * default options: B's listings carry no times, so the conflict rules that compare times
 * (newest wins; keep both, where the newer keeps the name) must ask for them.
 */
class S3TwoWayTest extends TwoWayContract {

    @TempDir
    Path local;

    @Override
    protected SyncTarget newSideA() throws Exception {
        return SyncTargets.load().open(local.resolve("a").toString());
    }

    @Override
    protected SyncTarget newSideB() throws Exception {
        return S3ProxyServer.get().newTarget("twoway", Map.of());
    }
}
