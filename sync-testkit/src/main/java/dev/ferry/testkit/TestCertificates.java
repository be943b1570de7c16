package dev.ferry.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Self-signed server certificates for the TLS tests of every backend: a PKCS#12 keystore made by
 * the JDK's {@code keytool} for {@code CN=127.0.0.1} with the IP as subject alternative name, valid
 * three days. The keystore password is {@link #STORE_PASSWORD} (the server's own, never given to
 * Ferry). One certificate serves both sides of a test: the server presents it, the client pins
 * its {@link SelfSigned#sha256() fingerprint} or trusts its {@link SelfSigned#certificatePem() PEM}
 * as a CA file.
 */
public final class TestCertificates {

    /** The keystore's and the key's password. */
    public static final String STORE_PASSWORD = "changeit";
    /** The key's alias in the keystore. */
    public static final String ALIAS = "server";

    private TestCertificates() {}

    /**
     * A generated certificate.
     *
     * @param keystore the PKCS#12 keystore holding key and certificate under {@link #ALIAS}
     * @param sha256 the certificate's SHA-256, colon-separated lower-case hex (what {@code pinnedCertificate} takes)
     * @param certificatePem the certificate alone, PEM (what {@code ca} or {@code cert} takes)
     */
    public record SelfSigned(Path keystore, String sha256, Path certificatePem) {

        /** A server-side TLS context presenting this certificate. */
        public SSLContext serverContext() throws IOException, GeneralSecurityException {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keystore), STORE_PASSWORD.toCharArray());
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), null, null);
            return ssl;
        }

        /** Writes the certificate and its private key as PEM files (for servers that read PEM: vsftpd, Syncthing). */
        public void writePem(Path certPem, Path keyPem) throws IOException, GeneralSecurityException {
            KeyStore store = load(keystore);
            Files.copy(certificatePem, certPem, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(keyPem, pem("PRIVATE KEY", store.getKey(ALIAS, STORE_PASSWORD.toCharArray()).getEncoded()));
        }
    }

    /**
     * Makes a keystore at {@code keystore} (replacing any) and the certificate's PEM beside it
     * ({@code NAME.pem}).
     */
    public static SelfSigned selfSigned(Path keystore) throws IOException, GeneralSecurityException, InterruptedException {
        Files.deleteIfExists(keystore);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "3",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD,
                "-keypass", STORE_PASSWORD).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
        Certificate cert = load(keystore).getCertificate(ALIAS);
        Path pem = keystore.resolveSibling(keystore.getFileName() + ".pem");
        Files.writeString(pem, pem("CERTIFICATE", cert.getEncoded()));
        String sha256 = HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        return new SelfSigned(keystore, sha256, pem);
    }

    private static KeyStore load(Path keystore) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        return store;
    }

    private static String pem(String type, byte[] der) {
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return "-----BEGIN " + type + "-----\n" + b64.encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
