package dev.ferry.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.core.SyncTargets;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code webdavs:} and {@code nextcloud:} verify the server's certificate: a self-signed one is refused. */
class TlsVerificationTest {

    @TempDir
    Path tmp;

    @Test
    void aCertificateTheJvmDoesNotTrustIsRefusedBeforeAnyRequest() throws Exception {
        Path ks = tmp.resolve("server.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "dav", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "3", "-keystore", ks.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
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
