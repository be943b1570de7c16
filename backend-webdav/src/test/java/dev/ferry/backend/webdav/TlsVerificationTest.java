package dev.ferry.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.TestCertificates;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code webdavs:} and {@code nextcloud:} verify the server's certificate: a self-signed one is refused. */
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
}
