package dev.ferry.backend.emoncms;

import dev.ferry.api.TargetSpec;
import dev.ferry.testkit.TestCertificates;
import dev.ferry.testkit.TlsRelay;
import dev.ferry.testkit.TlsTrustContract;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code emoncmss:} verifies the server's certificate. PHP's built-in server has no TLS, so a
 * TLS relay (sync-testkit's {@link TlsRelay}) presents a self-signed certificate in front of a
 * real Emoncms: refused by default, accepted when pinned or given as the CA file.
 */
class EmoncmsTlsTest {

    @TempDir
    Path tmp;

    @Test
    void aSelfSignedCertificateIsRefusedUnlessPinnedOrGivenAsCa() throws Exception {
        TestCertificates.SelfSigned cert = TestCertificates.selfSigned(tmp.resolve("emoncms.p12"));
        try (EmoncmsServers.Instance emoncms = EmoncmsServers.shared().newInstance();
                TlsRelay relay = TlsRelay.start(cert.serverContext(), emoncms.port())) {
            TlsTrustContract.check(trust -> {
                Map<String, String> options = new HashMap<>(trust);
                options.put("user", EmoncmsServers.Instance.USER);
                options.put("password", EmoncmsServers.Instance.PASSWORD);
                return new EmoncmssTargetProvider().open(new TargetSpec(URI.create("emoncmss://127.0.0.1:" + relay.port() + "/"), options));
            }, cert, "pinnedCertificate", "ca");
        }
    }
}
