package dev.ferry.backend.syncthing;

import dev.ferry.api.TargetSpec;
import dev.ferry.testkit.TestCertificates;
import dev.ferry.testkit.TlsTrustContract;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code syncthings:} verifies the node's GUI certificate: a real node serving its REST API on
 * https with a self-signed certificate (sync-testkit's, placed as its {@code https-cert.pem}
 * before the first start) is refused by default and when another certificate is pinned, and
 * reached with {@code cert} (the pin) or {@code ca}.
 */
class SyncthingTlsTest {

    @Test
    void aSelfSignedGuiCertificateIsRefusedUnlessPinnedOrGivenAsCa() throws Exception {
        try (TestNodes nodes = new TestNodes()) {
            Path home = Files.createDirectories(nodes.root.resolve("tls"));
            TestCertificates.SelfSigned cert = TestCertificates.selfSigned(nodes.root.resolve("gui.p12"));
            cert.writePem(home.resolve("https-cert.pem"), home.resolve("https-key.pem"));
            SyncthingProcess p = nodes.start("tls", true);
            Path folder = Files.createDirectories(nodes.root.resolve("tls-folder"));
            p.node().addFolder(FolderConfig.builder("docs", folder).fsWatcher(false).build());
            TlsTrustContract.check(trust -> {
                Map<String, String> options = new HashMap<>(trust);
                options.put("apikey", p.apiKey());
                return new SyncthingsTargetProvider().open(new TargetSpec(
                        URI.create("syncthings://" + p.guiUri().getRawAuthority() + "/docs"), options));
            }, Map.of("cert", p.home().resolve("cert.pem").toString()),
                    List.of(Map.of("cert", cert.certificatePem().toString()), Map.of("ca", cert.certificatePem().toString())),
                    "cert", "ca");
        }
    }
}
