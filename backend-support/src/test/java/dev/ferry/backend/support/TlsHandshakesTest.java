package dev.ferry.backend.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

class TlsHandshakesTest {

    @Test
    void aHandshakeTheServerCutsIsCutShort() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // Reads the ClientHello, then closes: what a proxy or a dying server does mid-handshake.
            CompletableFuture<Void> cut = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[64]);
                } catch (Exception ignored) {
                    // the client sees the close either way
                }
            });
            SSLHandshakeException e = handshake(server.getLocalPort(), SSLContext.getDefault());
            cut.join();
            assertThat(e).as("the JDK's exception for a handshake closed by the server").isNotNull();
            assertThat(TlsHandshakes.cutShort(e)).as(String.valueOf(e)).isTrue();
        }
    }

    @Test
    void aRefusedCertificateIsNotCutShort() {
        SSLHandshakeException refused = new SSLHandshakeException("PKIX path building failed");
        refused.initCause(new CertificateException("unable to find valid certification path",
                new java.io.EOFException("a socket detail deeper down does not make it a cut")));
        assertThat(TlsHandshakes.cutShort(refused)).isFalse();
        assertThat(TlsHandshakes.cutShort(new SSLHandshakeException("Received fatal alert: handshake_failure"))).isFalse();
    }

    private static SSLHandshakeException handshake(int port, SSLContext ctx) throws Exception {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return null;
        } catch (SSLHandshakeException e) {
            return e;
        }
    }
}
