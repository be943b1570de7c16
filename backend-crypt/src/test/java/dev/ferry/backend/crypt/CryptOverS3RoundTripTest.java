package dev.ferry.backend.crypt;

import dev.ferry.api.SyncTarget;
import dev.ferry.testkit.TestSecrets;
import dev.ferry.api.TargetSpec;
import dev.ferry.backend.s3.S3ProxyServer;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.engine.EngineRoundTripContract;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The engine end to end through {@code crypt:} over S3 (S3Proxy in-process, started by
 * backend-s3's test fixtures), reached as a user would: the store is a named remote holding its
 * own keys, with empty directories kept as markers, and {@code crypt:s3-test:} wraps it.
 */
class CryptOverS3RoundTripTest extends EngineRoundTripContract {

    /** A named remote {@code s3-test} at a fresh prefix of the S3Proxy bucket. */
    static SyncTargets withS3Remote(String prefix) {
        Map<String, String> options = new HashMap<>(S3ProxyServer.get().credentials());
        options.put("directoryMarkers", "true");
        return SyncTargets.load().withRemotes(Map.of("s3-test",
                new TargetSpec(URI.create("s3://" + S3ProxyServer.BUCKET + "/" + prefix), options)));
    }

    @Override
    protected SyncTarget newTarget() throws Exception {
        return withS3Remote(S3ProxyServer.freshPrefix("crypt")).open("crypt:s3-test:",
                Map.of("password", TestSecrets.secret("over s3"), "password2", TestSecrets.secret("salt")));
    }
}
