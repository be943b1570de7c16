package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.engine.EngineRoundTripContract;
import java.util.Map;

/** The engine end to end through vsftpd (LIST and two-argument MDTM); skipped where vsftpd is missing. */
class VsftpdEngineRoundTripTest extends EngineRoundTripContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        TestServers.Server server = TestServers.vsftpd();
        assumeThat(server).as("vsftpd is not installed (/usr/sbin/vsftpd missing; apt-get install vsftpd): "
                + "the vsftpd round trip is skipped").isNotNull();
        return server.freshTarget(Map.of());
    }
}
