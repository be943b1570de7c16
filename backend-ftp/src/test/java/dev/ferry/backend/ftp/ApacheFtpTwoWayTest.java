package dev.ferry.backend.ftp;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.engine.TwoWayContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The two-way scenario table between a local folder (A) and Apache FtpServer (B). */
class ApacheFtpTwoWayTest extends TwoWayContract {

    @TempDir
    Path local;

    @Override
    protected SyncTarget newSideA() throws Exception {
        return SyncTargets.load().open(local.resolve("a").toString());
    }

    @Override
    protected SyncTarget newSideB() throws Exception {
        return TestServers.apachePlain().freshTarget(Map.of());
    }
}
