package dev.ferry.backend.crypt;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.TestSecrets;
import dev.ferry.api.TargetSpec;
import dev.ferry.backend.ftp.TestServers;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.SyncTargetContract;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The shared contract on {@code crypt:} over a real FTP server (Apache FtpServer on loopback,
 * started by backend-ftp's test fixtures), reached as a user would: the FTP server is a named
 * remote holding its own password, and {@code crypt:ftp-test:…} wraps it with the crypt password.
 */
class CryptOverFtpContractTest extends SyncTargetContract {

    private static TestServers.Stoppable ftp;

    @BeforeAll
    static void start() throws Exception {
        ftp = TestServers.stoppableApache();
    }

    @AfterAll
    static void stop() {
        if (ftp != null) {
            ftp.stop();
        }
    }

    @Override
    protected SyncTarget newTarget() throws Exception {
        TestServers.Server s = ftp.server;
        SyncTargets targets = SyncTargets.load();
        targets = targets.withRemotes(Map.of("ftp-test", new TargetSpec(s.freshLocation(), s.options())));
        return targets.open("crypt:ftp-test:", Map.of("password", TestSecrets.secret("over ftp"), "password2", TestSecrets.secret("salt")));
    }

    @Override
    protected long largeFileSize() {
        return 64L << 20;
    }

    @Override
    protected int largeDirectorySize() {
        return 500;
    }
}
