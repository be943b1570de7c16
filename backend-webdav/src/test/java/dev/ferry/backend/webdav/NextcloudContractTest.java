package dev.ferry.backend.webdav;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.SyncTargetContract;
import java.util.Map;

/**
 * The shared contract against the {@link NextcloudEmulator}: single PUTs with X-OC-Mtime and
 * OC-Checksum, chunked upload v2 for the large file (5 MiB chunks).
 */
class NextcloudContractTest extends SyncTargetContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        return TestServers.nextcloud().freshTarget(Map.of("chunkSize", String.valueOf(5 << 20)));
    }

    @Override
    protected int largeDirectorySize() {
        return 1_000;
    }

    /** Above the 256 MiB test heap would take minutes in the emulator; 40 MiB is 8 chunks. */
    @Override
    protected long largeFileSize() {
        return 40L << 20;
    }
}
