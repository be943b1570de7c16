package dev.ferry.backend.syncthing;

import dev.ferry.backend.support.ServerTrust;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a node's https GUI is trusted: exactly one pinned certificate (Syncthing's GUI certificate
 * is self-signed and names no address, so the pin replaces the host-name check), or a CA whose
 * certificates are checked the usual way, host name included. Never "trust everything".
 */
final class Tls {

    private Tls() {}

    /** Reads the first certificate of a PEM file ({@code https-cert.pem}, {@code cert.pem}). */
    static X509Certificate readCertificate(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException e) {
            throw new IOException("not a PEM certificate: " + pem, e);
        }
    }

    /** A context that accepts exactly {@code pinned} as the server's certificate. */
    static SSLContext pinned(X509Certificate pinned) {
        return context(pinnedTrust(pinned));
    }

    /** A context that trusts certificates issued by {@code ca} (host names checked). */
    static SSLContext trustingCa(X509Certificate ca) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS trust", e);
        }
    }

    private static SSLContext context(TrustManager tm) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {tm}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS trust", e);
        }
    }

    /** Exactly {@code pinned}, still valid; the pin replaces the host-name check. */
    private static ServerTrust pinnedTrust(X509Certificate pinned) {
        return new ServerTrust(chain -> {
            if (chain == null || chain.length == 0 || !chain[0].equals(pinned)) {
                throw new CertificateException("the node's certificate is not the pinned one");
            }
            chain[0].checkValidity();
        });
    }
}
