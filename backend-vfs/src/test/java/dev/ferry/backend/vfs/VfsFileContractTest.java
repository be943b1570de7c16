package dev.ferry.backend.vfs;

import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetSpec;
import dev.ferry.testkit.SyncTargetContract;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The shared contract over {@code vfs:file:}, through the provider as a user would open it. */
class VfsFileContractTest extends SyncTargetContract {

    @TempDir
    Path dir;

    @Override
    protected SyncTarget newTarget() throws IOException {
        return new VfsTargetProvider().open(TargetSpec.of(URI.create("vfs:" + dir.toUri())));
    }
}
