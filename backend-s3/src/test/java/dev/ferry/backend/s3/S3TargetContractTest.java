package dev.ferry.backend.s3;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.SyncTargetContract;
import java.util.Map;

/** The shared contract against S3Proxy (filesystem store, authentication on). */
class S3TargetContractTest extends SyncTargetContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        return S3ProxyServer.get().newTarget("contract", Map.of());
    }

    @Override
    protected boolean supportsEmptyDirectories() {
        return false;
    }
}
