package dev.ferry.backend.emoncms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.api.AuthenticationException;
import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.TransientSyncException;
import dev.ferry.backend.support.BoundedBody;
import dev.ferry.backend.support.TlsHandshakes;
import dev.ferry.backend.support.TlsTrust;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Emoncms server: the HTTP client, the base URL, the write key (sent as
 * {@code Authorization: Bearer}, never in a URL, a log line or a message), and the one place
 * answers become JSON or errors. Emoncms answers errors in three ways: HTTP 401 with a text body
 * ({@code Invalid API key}), JSON {@code false}, or {@code {"success":false,"message":...}}.
 */
final class EmoncmsHttp {

    private static final Logger LOG = LoggerFactory.getLogger(EmoncmsHttp.class);
    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The largest JSON reply read: a feed list of about 30,000 feeds. A reply that never ends is
     * cut here instead of filling the heap.
     */
    static final long MAX_JSON = 16L << 20;

    private final HttpClient client;
    private final URI base;
    private final Duration timeout;
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private volatile String key;

    EmoncmsHttp(URI base, Duration timeout, Optional<TlsTrust> tls) {
        this.base = base;
        this.timeout = timeout;
        // The JDK client checks https certificates against the JDK trust store and host names,
        // unless the user pinned a certificate or gave a CA file (TlsTrust: the pin replaces the
        // host-name check, a CA keeps it).
        // HTTP/1.1: Emoncms runs behind Apache, nginx or PHP's server; an h2c upgrade gains nothing.
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        tls.ifPresent(t -> b.sslContext(t.context()));
        this.client = b.build();
    }

    /** Logs in or checks the key; after this every request carries the write key. */
    void authenticate(EmoncmsOptions o) throws IOException {
        if (o.apikey().isPresent()) {
            key = o.apikey().get();
            JsonNode s = sessionInfo();
            if (!"write".equals(s.path("type").asText("write"))) {
                throw new AuthenticationException("the API key for " + base + " is a read key: Ferry needs the write key");
            }
            return;
        }
        String user = o.user().orElseThrow();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("username", user);
        form.put("password", o.password());
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(url("user/auth.json", Map.of()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))), "user/auth.json", false);
        JsonNode j = parse(r, "user/auth.json");
        if (!j.path("success").asBoolean(false)) {
            throw new AuthenticationException("Emoncms at " + base + " refused user " + user + ": "
                    + j.path("message").asText("login failed"));
        }
        String w = j.path("apikey_write").asText("");
        if (w.length() != 32) {
            throw new InvalidTargetException("Emoncms at " + base + " logged user " + user + " in but gave no write key");
        }
        key = w;
    }

    /** {@code user/session.json} (11.16.5 on), else {@code user/get.json}: checks the key, says its type. */
    private JsonNode sessionInfo() throws IOException {
        HttpResponse<byte[]> r = send(request("user/session.json", Map.of()).GET(), "user/session.json", true);
        if (r.statusCode() == 200 && looksLikeJsonObject(r.body())) {
            JsonNode j = parse(r, "user/session.json");
            if (j.has("userid")) {
                return j;
            }
        }
        // Servers before 11.16.5 have no session route: user/get.json accepts a write key there.
        HttpResponse<byte[]> g = send(request("user/get.json", Map.of()).GET(), "user/get.json", true);
        JsonNode j = parse(g, "user/get.json");
        if (!j.has("id") && !j.has("userid")) {
            throw new InvalidTargetException("not an Emoncms server at " + base + ": user/session.json and user/get.json gave no user");
        }
        return JSON.createObjectNode().put("type", "write");
    }

    /** A GET answered with JSON. */
    JsonNode getJson(String action, Map<String, String> params) throws IOException {
        return parse(send(request(action, params).GET(), action, true), action);
    }

    /** A GET answered with bytes: the caller closes the stream. */
    InputStream getStream(String action, Map<String, String> params) throws IOException {
        HttpRequest req = request(action, params).GET().build();
        requests.incrementAndGet();
        HttpResponse<InputStream> r;
        try {
            r = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (SSLHandshakeException e) {
            throw handshake(e, action);
        } catch (IOException e) {
            throw new TransientSyncException("cannot reach Emoncms at " + base + " (" + action + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted: " + action);
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (r.statusCode() != 200 || !type.startsWith("application/octet-stream")) {
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readNBytes(4096);
            }
            check(r.statusCode(), body, action);
            throw new PermanentSyncException("Emoncms at " + base + " answered " + action + " with " + snippet(body));
        }
        return new java.io.FilterInputStream(BoundedBody.idleLimited(r.body(), timeout)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (java.net.http.HttpTimeoutException e) {
                    throw new TransientSyncException("Emoncms at " + base + " stopped sending its reply to " + action + " ("
                            + e.getMessage() + ")", e);
                } catch (IOException e) {
                    throw new TransientSyncException("Emoncms at " + base + ": the reply to " + action + " broke off ("
                            + (e.getCause() != null ? e.getCause() : e) + ")", e);
                }
            }
        };
    }

    /** A POST of raw bytes answered with JSON. */
    JsonNode postBytes(String action, Map<String, String> params, byte[] body, int length) throws IOException {
        bytesSent.addAndGet(length);
        HttpRequest.Builder b = request(action, params).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length));
        return parse(send(b, action, true), action);
    }

    /** Request bodies sent so far (uploaded points and their headers), for reports and measurements. */
    long bytesSent() {
        return bytesSent.get();
    }

    /** Requests sent so far. */
    long requests() {
        return requests.get();
    }

    URI base() {
        return base;
    }

    private HttpRequest.Builder request(String action, Map<String, String> params) {
        return HttpRequest.newBuilder(url(action, params)).timeout(timeout).header("Authorization", "Bearer " + key);
    }

    private URI url(String action, Map<String, String> params) {
        return base.resolve(action + (params.isEmpty() ? "" : "?" + encode(params)));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b, String action, boolean checkStatus) throws IOException {
        requests.incrementAndGet();
        HttpResponse<byte[]> r;
        try {
            r = client.send(b.build(), BoundedBody.ofBytes(MAX_JSON, timeout));
        } catch (SSLHandshakeException e) {
            throw handshake(e, action);
        } catch (IOException e) {
            if (BoundedBody.tooLarge(e).isPresent()) {
                throw new PermanentSyncException("Emoncms at " + base + " sent a reply to " + action + " larger than "
                        + (MAX_JSON >> 20) + " MiB: not an answer Emoncms gives", e);
            }
            throw new TransientSyncException("cannot reach Emoncms at " + base + " (" + action + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted: " + action);
        }
        LOG.debug("{} {} -> {}", action, base, r.statusCode());
        if (checkStatus) {
            check(r.statusCode(), r.body(), action);
        }
        return r;
    }

    /**
     * A handshake the connection cut short is a network failure (retried); one that refused the
     * certificate wants the user to trust it: permanent, naming the two options that do.
     */
    private IOException handshake(SSLHandshakeException e, String action) {
        if (TlsHandshakes.cutShort(e)) {
            return new TransientSyncException("cannot reach Emoncms at " + base + " (" + action
                    + "): the connection was cut during the TLS handshake (" + e.getMessage() + ")", e);
        }
        return new PermanentSyncException("TLS handshake with Emoncms at " + base + " failed, its certificate is not trusted ("
                + e.getMessage() + "); trust it with the option " + TlsTrust.PINNED_CERTIFICATE + " (its SHA-256) or "
                + TlsTrust.CA + " (a PEM file of the CA)", e);
    }

    private void check(int status, byte[] body, String action) throws IOException {
        if (status == 401 || status == 403) {
            throw new AuthenticationException("Emoncms at " + base + " refused the key (" + action + "): " + snippet(body));
        }
        if (status == 429 || status >= 500) {
            throw new TransientSyncException("Emoncms at " + base + " answered HTTP " + status + " to " + action);
        }
        if (status == 404 || status == 406) {
            throw new MissingRouteException("Emoncms at " + base + " has no " + action + " (HTTP " + status + ")");
        }
        if (status != 200) {
            throw new PermanentSyncException("Emoncms at " + base + " answered HTTP " + status + " to " + action + ": " + snippet(body));
        }
    }

    private JsonNode parse(HttpResponse<byte[]> r, String action) throws IOException {
        check(r.statusCode(), r.body(), action);
        if (r.body().length == 0) {
            // Read as JSON it would be "nothing", and an empty feed list deletes on the other side.
            throw new TransientSyncException("Emoncms at " + base + " sent an empty reply to " + action
                    + " (the connection was cut, or this is not an Emoncms server)");
        }
        try {
            return JSON.readTree(r.body());
        } catch (com.fasterxml.jackson.core.io.JsonEOFException e) {
            // PHP's server ends a reply by closing the connection (no length), so a cut one arrives
            // as a complete 200 that stops mid-JSON: a network fault, retried, not a wrong server.
            throw new TransientSyncException("Emoncms at " + base + " sent a reply to " + action
                    + " that stops mid-JSON after " + r.body().length + " bytes (the connection was cut?)", e);
        } catch (IOException e) {
            throw new InvalidTargetException("not an Emoncms server at " + base + ": " + action + " answered " + snippet(r.body()));
        }
    }

    private static boolean looksLikeJsonObject(byte[] body) {
        for (byte c : body) {
            if (!Character.isWhitespace(c)) {
                return c == '{';
            }
        }
        return false;
    }

    static String snippet(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
        return s.isEmpty() ? "(empty)" : '"' + s + '"';
    }

    private static String encode(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** A route the server does not have (an older Emoncms, or not Emoncms at all). */
    static final class MissingRouteException extends PermanentSyncException {
        private static final long serialVersionUID = 1L;

        MissingRouteException(String message) {
            super(message);
        }
    }
}
