package dev.ferry.backend.syncthing;

import dev.ferry.backend.support.TlsTrust;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How a node's https GUI is trusted: exactly one pinned certificate (Syncthing's GUI certificate
 * is self-signed and names no address, so the pin replaces the host-name check), or a CA whose
 * certificates are checked the usual way, host name included. Never "trust everything". The
 * checks themselves are backend-support's {@link TlsTrust}, as for every backend.
 */
final class Tls {

    private Tls() {}

    /** Reads the first certificate of a PEM file ({@code https-cert.pem}, {@code cert.pem}). */
    static X509Certificate readCertificate(Path pem) throws IOException {
        return TlsTrust.readCertificates(pem).get(0);
    }

    /** A context that accepts exactly {@code pinned} as the server's certificate. */
    static SSLContext pinned(X509Certificate pinned) {
        try {
            byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(pinned.getEncoded());
            return new TlsTrust(Optional.of(sha256), List.of()).context();
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot set up TLS trust", e);
        }
    }

    /** A context that trusts certificates issued by {@code ca} (host names checked). */
    static SSLContext trustingCa(X509Certificate ca) {
        return new TlsTrust(Optional.empty(), List.of(ca)).context();
    }
}
