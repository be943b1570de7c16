package dev.ferry.backend.s3;

import dev.ferry.api.TargetSpec;
import dev.ferry.testkit.TestCertificates;
import dev.ferry.testkit.TlsTrustContract;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code s3:} on an https endpoint verifies the store's certificate: S3Proxy serving https with a
 * self-signed certificate is refused until it is pinned ({@code pinnedCertificate}) or its PEM is
 * given as the CA file ({@code ca}).
 */
class S3TlsTest {

    @TempDir
    Path tmp;

    @Test
    void aSelfSignedCertificateIsRefusedUnlessPinnedOrGivenAsCa() throws Exception {
        TestCertificates.SelfSigned cert = TestCertificates.selfSigned(tmp.resolve("s3.p12"));
        S3ProxyServer server = S3ProxyServer.https(cert);
        try {
            TlsTrustContract.check(trust -> {
                Map<String, String> options = new HashMap<>(server.credentials());
                options.remove("pinnedCertificate");
                options.putAll(trust);
                return new S3TargetProvider().open(new TargetSpec(URI.create("s3://" + S3ProxyServer.BUCKET + "/tls"), options));
            }, cert, "pinnedCertificate", "ca");
        } finally {
            server.stop();
        }
    }
}
