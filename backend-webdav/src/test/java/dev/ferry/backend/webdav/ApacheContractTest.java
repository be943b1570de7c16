package dev.ferry.backend.webdav;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.SyncTargetContract;
import java.util.Map;

/**
 * The shared contract against Apache httpd with mod_dav and mod_dav_fs; the large file keeps the
 * default 300 MiB, more than the test heap.
 */
class ApacheContractTest extends SyncTargetContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        return TestServers.apacheOrSkip().freshTarget(Map.of());
    }

    /** Each file is a PUT, a MOVE and a PROPFIND: 1,000 entries show streaming as well as 10,000. */
    @Override
    protected int largeDirectorySize() {
        return 1_000;
    }
}
