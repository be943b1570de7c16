package dev.ferry.serve;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Who may do what. Every state-changing request needs the token, on loopback too; away from
 * loopback (where TLS is required) every request but {@code /health} and the page's files needs it.
 * The token travels only as {@code Authorization: Bearer}: no cookies, so a page on another site
 * cannot make a browser send it (CSRF), and no CORS headers are ever sent. On loopback the
 * {@code Host} must name loopback, so a rebound DNS name cannot read the API from a browser.
 */
final class Access {

    private final byte[] token;
    private final boolean loopback;
    private final int port;

    Access(String token, boolean loopback, int port) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.loopback = loopback;
        this.port = port;
    }

    /** Whether the request names a host this server answers to. */
    boolean hostAllowed(HttpExchange ex) {
        if (!loopback) {
            return true;
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        for (String h : new String[] {"127.0.0.1", "localhost", "[::1]"}) {
            if (host.equals(h + ":" + port) || host.equals(h)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this request needs the token. */
    boolean needsToken(String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return true;
        }
        if (path.equals("/health") || path.equals("/") || path.startsWith("/ui/")) {
            return false;
        }
        return !loopback;
    }

    /** Whether the request carries the right token (compared in constant time). */
    boolean tokenValid(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(auth.substring(7).strip().getBytes(StandardCharsets.UTF_8), token);
    }
}
