package dev.ferry.backend.support;

import java.io.EOFException;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.util.Locale;
import javax.net.ssl.SSLHandshakeException;

/**
 * Tells the two kinds of failed TLS handshake apart. One the server or the network cut short
 * (the connection closed or was reset before the handshake finished) is worth a retry; one that
 * ran to its end and refused the certificate, the protocol or the cipher is not, and wants the
 * user to act. The JDK reports both as {@link SSLHandshakeException}: a cut one carries the
 * socket's {@link EOFException} or {@link SocketException} as its cause, a refused certificate a
 * {@link GeneralSecurityException} (the validator's certificate or path exception).
 */
public final class TlsHandshakes {

    private TlsHandshakes() {
    }

    /** Whether {@code e} ended because the connection went away, not because anything was refused. */
    public static boolean cutShort(SSLHandshakeException e) {
        boolean connectionLost = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof GeneralSecurityException) {
                return false;
            }
            if (t instanceof EOFException || t instanceof SocketException) {
                connectionLost = true;
            }
        }
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return connectionLost || message.contains("remote host terminated the handshake")
                || message.contains("connection reset");
    }
}
