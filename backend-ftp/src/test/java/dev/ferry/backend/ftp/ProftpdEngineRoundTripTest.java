package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assumptions.assumeThat;
import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.engine.EngineRoundTripContract;
import java.util.Map;

/**
 * The engine end to end through ProFTPD (MLSD with unix.mode, MFMT, SITE CHMOD): the one server
 * here whose modes make the round trip, so it carries the modes case of the contract. Skipped
 * where ProFTPD is not found (see {@link TestServers#PROFTPD}).
 */
class ProftpdEngineRoundTripTest extends EngineRoundTripContract {

    @Override
    protected SyncTarget newTarget() throws Exception {
        TestServers.Server server = TestServers.proftpd();
        assumeThat(server).as("ProFTPD not found (Debian proftpd-core; see TestServers.PROFTPD): "
                + "the ProFTPD round trip is skipped").isNotNull();
        return server.freshTarget(Map.of());
    }
}
