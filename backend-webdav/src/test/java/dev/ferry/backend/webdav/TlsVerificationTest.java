package dev.ferry.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.core.SyncTargets;
import dev.ferry.api.InvalidTargetException;
import dev.ferry.testkit.TestCertificates;
import dev.ferry.testkit.TlsRelay;
import dev.ferry.testkit.TlsTrustContract;
import java.util.HashMap;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code webdavs:} and {@code nextcloud:} verify the server's certificate: a self-signed one is
 * refused before any request, and trusted with {@code pinnedCertificate} or {@code ca} (Apache
 * mod_dav and the Nextcloud emulator behind a TLS relay presenting the test certificate).
 */
class TlsVerificationTest {

    @TempDir
    Path tmp;

    @Test
    void aCertificateTheJvmDoesNotTrustIsRefusedBeforeAnyRequest() throws Exception {
        SSLContext ssl = TestCertificates.selfSigned(tmp.resolve("server.p12")).serverContext();
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/", x -> {
            requests.incrementAndGet();
            x.sendResponseHeaders(500, -1);
            x.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            for (String location : new String[] {"webdavs://ferry@127.0.0.1:" + port + "/dav",
                    "nextcloud://ferry@127.0.0.1:" + port + "/ferry"}) {
                assertThatThrownBy(() -> SyncTargets.load().open(location, Map.of("password", dev.ferry.testkit.TestSecrets.WEBDAV_PASSWORD)))
                        .isInstanceOf(PermanentSyncException.class)
                        .hasMessageContaining("TLS handshake failed")
                        .hasMessageNotContaining(dev.ferry.testkit.TestSecrets.MARKER);
            }
            assertThat(requests.get()).as("no request reached the untrusted server").isZero();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void apacheBehindASelfSignedCertificateIsReachedOnlyWhenPinnedOrGivenAsCa() throws Exception {
        TestServers.Server apache = TestServers.apacheOrSkip();
        TestCertificates.SelfSigned cert = TestCertificates.selfSigned(tmp.resolve("dav.p12"));
        try (TlsRelay relay = TlsRelay.start(cert.serverContext(), apache.port())) {
            TlsTrustContract.check(trust -> open("webdavs://" + TestServers.USER + "@127.0.0.1:" + relay.port()
                    + apache.prefix(), apache.options(), trust), cert, "pinnedCertificate", "ca");
        }
    }

    @Test
    void nextcloudBehindASelfSignedCertificateIsReachedOnlyWhenPinnedOrGivenAsCa() throws Exception {
        TestServers.Server nextcloud = TestServers.nextcloud();
        TestCertificates.SelfSigned cert = TestCertificates.selfSigned(tmp.resolve("nc.p12"));
        Map<String, String> options = new HashMap<>(nextcloud.options());
        options.remove("plainHttp");
        try (TlsRelay relay = TlsRelay.start(cert.serverContext(), nextcloud.port())) {
            TlsTrustContract.check(trust -> open("nextcloud://127.0.0.1:" + relay.port() + nextcloud.prefix(), options, trust),
                    cert, "pinnedCertificate", "ca");
        }
    }

    @Test
    void trustOptionsOnPlainHttpAreRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> SyncTargets.load().open("webdav://127.0.0.1:1/dav", Map.of("pinnedCertificate", "00".repeat(32))))
                .isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("https only");
    }

    private static dev.ferry.api.SyncTarget open(String location, Map<String, String> base, Map<String, String> trust)
            throws java.io.IOException {
        Map<String, String> options = new HashMap<>(base);
        options.putAll(trust);
        return SyncTargets.load().open(location, options);
    }
}
