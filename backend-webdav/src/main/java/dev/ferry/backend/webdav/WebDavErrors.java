package dev.ferry.backend.webdav;

import dev.ferry.api.AuthenticationException;
import dev.ferry.api.InsufficientStorageException;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PermissionDeniedException;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.SyncException;
import dev.ferry.api.TransientSyncException;
import dev.ferry.backend.support.TlsHandshakes;
import dev.ferry.backend.support.TlsTrust;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.http.ConnectionClosedException;
import org.apache.http.Header;
import org.apache.http.HttpResponse;
import org.apache.http.NoHttpResponseException;
import org.apache.http.client.CircularRedirectException;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.client.RedirectException;

/**
 * HTTP statuses and connection failures as the SPI's exception family. Transient: 5xx (but 507),
 * 408, 423 Locked, 429 and failed connections, with the server's Retry-After. Permanent: 401
 * ({@link AuthenticationException}: not retried, since Nextcloud throttles repeated bad logins),
 * 403, 404, 507 ({@link InsufficientStorageException}), too many redirects. 412 is a
 * {@link PreconditionFailedException}. Messages name the URL and the user, never the password
 * (URLs we build carry no userinfo).
 */
final class WebDavErrors {

    private WebDavErrors() {}

    /** The exception for a failed {@code response} to {@code action} on {@code url}. */
    static SyncException status(HttpResponse response, String action, String url, String user) {
        int code = response.getStatusLine().getStatusCode();
        String msg = "cannot " + action + ": " + url + " answered " + code
                + (response.getStatusLine().getReasonPhrase() == null ? "" : " " + response.getStatusLine().getReasonPhrase());
        switch (code) {
            case 401:
                return new AuthenticationException(msg + " (login refused for user '" + user
                        + "'; for Nextcloud use an app password, and note repeated failures are throttled)");
            case 403:
                return new PermissionDeniedException(msg + " (user '" + user + "' may not do this)");
            case 404, 410:
                return new NotFoundException(msg);
            case 412:
                return new PreconditionFailedException(msg + " (the file changed on the server)");
            case 507:
                return new InsufficientStorageException(msg + " (the server is out of space or the user '" + user
                        + "' is over quota)");
            case 408, 423, 425, 429:
                return new TransientSyncException(msg + (code == 423 ? " (locked; retry later)" : ""), null,
                        retryAfter(response));
            default:
                if (code >= 500) {
                    return new TransientSyncException(msg, null, retryAfter(response));
                }
                return new PermanentSyncException(msg);
        }
    }

    /**
     * The JDK's words for a TLS record that is not TLS, e.g. an HTTP response to a ClientHello:
     * "Unsupported or unrecognized SSL message" (JDK 11+), "Unrecognized SSL message, plaintext
     * connection?" (JDK 8), "Remote host terminated the handshake" after a plain-HTTP 400.
     */
    static boolean plainHttpAnswer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(java.util.Locale.ROOT);
            if (t instanceof SSLException && (m.contains("unrecognized ssl message") || m.contains("plaintext connection")
                    || m.contains("unsupported or unrecognized"))) {
                return true;
            }
        }
        return false;
    }

    private static Duration retryAfter(HttpResponse response) {
        Header h = response.getFirstHeader("Retry-After");
        if (h != null) {
            try {
                long s = Long.parseLong(h.getValue().trim());
                return s >= 0 ? Duration.ofSeconds(s) : null;
            } catch (NumberFormatException e) {
                return null; // an HTTP date: let the engine's backoff decide
            }
        }
        return null;
    }

    /** A failure of the exchange itself (no usable response) mapped for the engine. */
    static IOException io(IOException e, String action, String url, WebDavOptions options) {
        if (e instanceof SyncException) {
            return e;
        }
        String where = "cannot " + action + ": " + url;
        if (options.https() && plainHttpAnswer(e)) {
            return new PermanentSyncException(where + ": the server answered the TLS handshake in plain HTTP, so it "
                    + "speaks http://, not https://. " + (options.kind() == WebDavOptions.Kind.NEXTCLOUD
                            ? "Add the option " + WebDavOptions.PLAIN_HTTP + "=true"
                            : "Use a webdav:// location instead of webdavs://")
                    + " if that is intended; the password and the files then travel unencrypted, so do it only on "
                    + "loopback or a network you trust", e);
        }
        if (e instanceof ClientProtocolException && (e.getCause() instanceof CircularRedirectException
                || e.getCause() instanceof RedirectException)) {
            return new PermanentSyncException(where + ": the server redirects in a loop or too often ("
                    + e.getCause().getMessage() + ")", e);
        }
        if (e instanceof SSLHandshakeException h && TlsHandshakes.cutShort(h)) {
            return new TransientSyncException(where + ": the connection was cut during the TLS handshake ("
                    + e.getMessage() + ")", e);
        }
        if (e instanceof SSLHandshakeException) {
            return new PermanentSyncException(where + ": TLS handshake failed (" + e.getMessage()
                    + "); the certificate must be trusted by the JVM, or trust it with the option "
                    + TlsTrust.PINNED_CERTIFICATE + " (its SHA-256) or " + TlsTrust.CA + " (a PEM file of the CA)", e);
        }
        if (e instanceof UnknownHostException) {
            return new PermanentSyncException(where + ": unknown host " + e.getMessage(), e);
        }
        if (e instanceof ClientProtocolException) {
            return new PermanentSyncException(where + ": " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"), e);
        }
        if (e instanceof InterruptedIOException || e instanceof ConnectException || e instanceof SocketException
                || e instanceof NoHttpResponseException || e instanceof ConnectionClosedException
                || e instanceof SSLException || e instanceof java.io.EOFException) {
            return new TransientSyncException(where + ": connection failed (" + e.getMessage() + ")", e);
        }
        return e;
    }
}
