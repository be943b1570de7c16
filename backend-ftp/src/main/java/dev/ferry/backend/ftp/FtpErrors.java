package dev.ferry.backend.ftp;

import dev.ferry.api.AuthenticationException;
import dev.ferry.api.InsufficientStorageException;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PermissionDeniedException;
import dev.ferry.api.SyncException;
import dev.ferry.api.TransientSyncException;
import dev.ferry.backend.support.TlsHandshakes;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.commons.net.ftp.FTPConnectionClosedException;

/**
 * FTP reply codes and socket failures as the SPI's exception family. Transient: 421, 425, 426,
 * 450, 451, timeouts and dropped connections. Permanent: 530 (login), 550 (missing or not
 * allowed), 553; 452/552 as {@link InsufficientStorageException}. Messages carry the server's
 * reply text (servers never echo a password) and never a credential of ours.
 */
final class FtpErrors {

    private FtpErrors() {}

    /** The exception for a negative reply {@code code} with text {@code reply} to {@code action}. */
    static SyncException reply(int code, String reply, String action) {
        String text = reply == null ? "" : reply.trim().replaceAll("[\\r\\n]+", " ");
        String msg = "cannot " + action + ": server replied " + (text.isEmpty() ? String.valueOf(code) : text);
        if (text.contains("OOPS")) {
            // vsftpd's session process gave up ("500 OOPS: vsf_sysutil_bind" when its passive
            // ports are exhausted) and closes the connection: a fresh one may well succeed.
            return new TransientSyncException(msg);
        }
        switch (code) {
            case 421, 425, 426, 450, 451:
                return new TransientSyncException(msg);
            case 452, 552:
                return new InsufficientStorageException(msg + " (no space left on the server)");
            case 530, 332:
                return new AuthenticationException(msg);
            case 553:
                return new PermissionDeniedException(msg + " (file name not allowed)");
            case 550: {
                String t = text.toLowerCase(Locale.ROOT);
                if (t.contains("denied") || t.contains("permission") || t.contains("not allowed")) {
                    return new PermissionDeniedException(msg);
                }
                return new NotFoundException(msg);
            }
            case 522:
                return new PermanentSyncException(msg + (text.toLowerCase(Locale.ROOT).contains("reuse")
                        ? " (the server requires TLS session reuse on data connections: run the JVM with "
                                + "-Djdk.tls.client.enableSessionTicketExtension=false)"
                        : ""));
            case 532:
                return new PermissionDeniedException(msg);
            default:
                if (code >= 400 && code < 500) {
                    return new TransientSyncException(msg);
                }
                return new PermanentSyncException(msg);
        }
    }

    /** An I/O failure of the connection itself (not of a source stream) mapped for the engine. */
    static IOException io(IOException e, String action) {
        if (e instanceof SyncException) {
            return e;
        }
        if (e instanceof FTPConnectionClosedException) {
            return new TransientSyncException("cannot " + action + ": the server closed the connection ("
                    + e.getMessage() + ")", e);
        }
        if (e instanceof SocketTimeoutException) {
            return new TransientSyncException("cannot " + action + ": timed out waiting for the server", e);
        }
        if (e instanceof SSLHandshakeException h && TlsHandshakes.cutShort(h)) {
            return new TransientSyncException("cannot " + action + ": the connection was cut during the TLS handshake ("
                    + e.getMessage() + ")", e);
        }
        if (e instanceof SSLHandshakeException) {
            return new PermanentSyncException("cannot " + action + ": TLS handshake failed (" + e.getMessage()
                    + "); check the certificate or the pinnedCertificate option", e);
        }
        if (e instanceof UnknownHostException) {
            return new PermanentSyncException("cannot " + action + ": unknown host " + e.getMessage(), e);
        }
        if (e instanceof SocketException || e instanceof SSLException || e instanceof java.io.EOFException) {
            return new TransientSyncException("cannot " + action + ": connection failed (" + e.getMessage() + ")", e);
        }
        return e;
    }
}
