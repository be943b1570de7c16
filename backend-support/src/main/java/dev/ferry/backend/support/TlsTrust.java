package dev.ferry.backend.support;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * How an https (or FTPS) target decides whom to trust beyond the JDK's trust store, with the
 * same two options wherever a backend offers them: {@value #PINNED_CERTIFICATE} (the SHA-256
 * fingerprint of the one certificate to accept; the pin replaces the host-name check, as a
 * self-signed certificate rarely names the address it is reached at) and {@value #CA} (a PEM file
 * of CA certificates to trust instead of the JDK's store; host names still checked). Never
 * "trust everything" by default. A target without either option uses the JDK's own checks.
 *
 * @param pinnedSha256 the pinned certificate's SHA-256, if set
 * @param authorities the CA certificates of {@code ca}, empty if not set
 */
public record TlsTrust(Optional<byte[]> pinnedSha256, List<X509Certificate> authorities) {

    /** The option naming the SHA-256 fingerprint of the one certificate to accept. */
    public static final String PINNED_CERTIFICATE = "pinnedCertificate";
    /** The option naming a PEM file of CA certificates to trust. */
    public static final String CA = "ca";

    /** The two options, described, for a provider's option list. */
    public static final List<TargetOption> OPTIONS = List.of(
            TargetOption.of(PINNED_CERTIFICATE, "SHA-256 fingerprint (hex, colons allowed) of the one server certificate to accept"),
            TargetOption.of(CA, "a PEM file of CA certificates to trust instead of the JDK's trust store (host name checked)"));

    /** Copies. */
    public TlsTrust {
        authorities = List.copyOf(authorities);
    }

    /** Reads the two options; empty when neither is given (the JDK's trust store decides). */
    public static Optional<TlsTrust> of(TargetSpec spec) throws InvalidTargetException {
        Optional<String> pin = spec.option(PINNED_CERTIFICATE).map(String::trim).filter(v -> !v.isEmpty());
        Optional<String> ca = spec.option(CA).map(String::trim).filter(v -> !v.isEmpty());
        if (pin.isPresent() && ca.isPresent()) {
            throw new InvalidTargetException("give option '" + PINNED_CERTIFICATE + "' or '" + CA + "', not both");
        }
        if (pin.isPresent()) {
            return Optional.of(new TlsTrust(Optional.of(fingerprint(pin.get())), List.of()));
        }
        if (ca.isPresent()) {
            try {
                return Optional.of(new TlsTrust(Optional.empty(), readCertificates(Path.of(ca.get()))));
            } catch (IOException e) {
                throw new InvalidTargetException("option '" + CA + "': " + e.getMessage(), e);
            }
        }
        return Optional.empty();
    }

    /** Whether the host name must match the certificate as well (with a CA; a pin is the identity itself). */
    public boolean checksHostName() {
        return pinnedSha256.isEmpty();
    }

    /** A TLS context trusting what this says. */
    public SSLContext context() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trustManager()}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS trust", e);
        }
    }

    /** The trust manager: the pin's {@link ServerTrust}, or the JDK's PKIX over the CA certificates only. */
    public TrustManager trustManager() throws GeneralSecurityException {
        if (pinnedSha256.isPresent()) {
            return pinned(pinnedSha256.get());
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        for (int i = 0; i < authorities.size(); i++) {
            store.setCertificateEntry("ca" + i, authorities.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf.getTrustManagers()[0];
    }

    /**
     * Parses a SHA-256 fingerprint as {@code openssl x509 -fingerprint -sha256} prints it (colons,
     * spaces, either case, an optional {@code sha256/} prefix).
     *
     * @throws InvalidTargetException naming the option if it is not 32 bytes of hex
     */
    public static byte[] fingerprint(String text) throws InvalidTargetException {
        String hex = text.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
        if (hex.startsWith("sha256/")) {
            hex = hex.substring(7);
        }
        try {
            byte[] b = HexFormat.of().parseHex(hex);
            if (b.length == 32) {
                return b;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidTargetException("option '" + PINNED_CERTIFICATE
                + "' must be a SHA-256 fingerprint: 64 hex digits, colons allowed");
    }

    /** The SHA-256 fingerprint of {@code cert}, as colon-separated upper-case hex. */
    public static String fingerprintOf(Certificate cert) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Accepts exactly the certificate whose SHA-256 is {@code pin}, still valid; refuses any other, naming its fingerprint. */
    public static ServerTrust pinned(byte[] pin) {
        byte[] want = pin.clone();
        return new ServerTrust(chain -> {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the server sent no certificate");
            }
            byte[] got;
            try {
                got = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
            } catch (NoSuchAlgorithmException e) {
                throw new CertificateException(e);
            }
            if (!MessageDigest.isEqual(got, want)) {
                throw new CertificateException("the server's certificate (SHA-256 " + HexFormat.of().formatHex(got)
                        + ") is not the pinned one");
            }
            chain[0].checkValidity();
        });
    }

    /** Every certificate of a PEM (or DER) file, at least one. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate c : all) {
                certs.add((X509Certificate) c);
            }
            if (certs.isEmpty()) {
                throw new IOException("no certificate in " + file);
            }
            return certs;
        } catch (CertificateException e) {
            throw new IOException("not a PEM certificate file: " + file, e);
        }
    }

    @Override
    public String toString() {
        return pinnedSha256.map(p -> "TlsTrust[pinned " + HexFormat.of().formatHex(p) + "]")
                .orElseGet(() -> "TlsTrust[" + authorities.size() + " CA certificate(s)]");
    }
}
