package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.SyncJob;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.TestCertificates;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host application's own {@link SyncJob}s inside a {@link FerryServer}; clean stops; TLS. */
class EmbeddedServerTest {

    @TempDir
    Path dir;

    @Test
    void closeMidTransferLetsTheRunFinishAndTheNextStartHasNothingLeft() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Path dst = dir.resolve("dst");
        byte[] big = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(big);
        Files.write(src.resolve("big.bin"), big);
        SyncTargets targets = SyncTargets.load();
        SyncOptions slow = SyncOptions.builder().bandwidthLimit(1024 * 1024).build();
        FerryServer server = FerryServer.builder().address(new InetSocketAddress("127.0.0.1", 0))
                .tokenFile(dir.resolve("t.token"))
                .job("big", SyncJob.builder(targets.open(src.toString())).destination("usb", targets.open(dst.toString()))
                        .options(slow))
                .build().start();
        ServeFixture c = new ServeFixture(server);
        assertThat(c.post("/api/jobs/big/run", "", c.token).statusCode()).isEqualTo(202);
        ServeFixture.await("bytes moving", Duration.ofSeconds(30),
                () -> server.jobs().get("big").progress("usb").bytesDone > 0);
        assertThat(Files.exists(dst.resolve("big.bin"))).isFalse(); // mid-transfer: not there yet
        long t0 = System.nanoTime();
        server.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(30_000);
        // The run in progress finished before close returned: the whole file, nothing partial.
        assertThat(Files.readAllBytes(dst.resolve("big.bin"))).isEqualTo(big);
        try (var files = Files.list(dst)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("big.bin");
        }

        FerryServer again = FerryServer.builder().address(new InetSocketAddress("127.0.0.1", 0))
                .tokenFile(dir.resolve("t.token"))
                .job("big", SyncJob.builder(targets.open(src.toString())).destination("usb", targets.open(dst.toString())))
                .build().start();
        try {
            ServeFixture c2 = new ServeFixture(again);
            assertThat(c2.token).isEqualTo(c.token);
            c2.post("/api/jobs/big/run", "", c2.token);
            ServeFixture.await("second run", Duration.ofSeconds(30),
                    () -> again.jobs().get("big").status().get(0).lastReport().isPresent());
            assertThat(again.jobs().get("big").status().get(0).lastReport().get().filesCopied()).isZero();
        } finally {
            again.close();
        }
    }

    @Test
    void servesHttpsWithACertificateAndStillWantsTheToken() throws Exception {
        TestCertificates.SelfSigned cert = TestCertificates.selfSigned(dir.resolve("serve.p12"));
        SyncTargets targets = SyncTargets.load();
        Path src = Files.createDirectories(dir.resolve("a"));
        try (FerryServer server = FerryServer.builder().address(new InetSocketAddress("127.0.0.1", 0))
                .token("a-token-of-twenty-chars").tls(ServeConfig.tls(cert.keystore(), TestCertificates.STORE_PASSWORD))
                .job("j1", SyncJob.builder(targets.open(src.toString())).destination("b", targets.open(dir.resolve("b").toString())))
                .build().start()) {
            assertThat(server.url()).startsWith("https://127.0.0.1:");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(cert.keystore())) {
                trust.load(in, TestCertificates.STORE_PASSWORD.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ctx).build();
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.body()).contains("\"status\":\"ok\"");
            HttpResponse<String> denied = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/j1/pause"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(server.jobs().get("j1").paused()).isFalse();
        }
    }
}
