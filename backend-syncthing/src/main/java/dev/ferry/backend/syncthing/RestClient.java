package dev.ferry.backend.syncthing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.ferry.api.AuthenticationException;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.TransientSyncException;
import dev.ferry.backend.support.BoundedBody;
import dev.ferry.backend.support.TlsHandshakes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/**
 * One node's REST interface: JSON in and out, {@code X-API-Key} on every call, and HTTP failures
 * turned into the Ferry exception family with the node's own words. The key never appears in a
 * message.
 */
final class RestClient {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The largest reply read: far above any node's config or status; a reply that never ends stops here. */
    static final long MAX_REPLY = 16L << 20;

    private final URI base;
    private final String apiKey;
    private final HttpClient http;
    private final Duration timeout;

    RestClient(URI base, String apiKey, SSLContext tls, Duration timeout) {
        this.base = base;
        this.apiKey = apiKey;
        this.timeout = timeout;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1);
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
    }

    URI base() {
        return base;
    }

    JsonNode get(String path, Object... query) throws IOException {
        return send("GET", path, null, timeout, query);
    }

    JsonNode getWithTimeout(String path, Duration readTimeout, Object... query) throws IOException {
        return send("GET", path, null, readTimeout, query);
    }

    JsonNode post(String path, JsonNode body, Object... query) throws IOException {
        return send("POST", path, body, timeout, query);
    }

    JsonNode postWithTimeout(String path, Duration readTimeout, Object... query) throws IOException {
        return send("POST", path, null, readTimeout, query);
    }

    JsonNode patch(String path, JsonNode body) throws IOException {
        return send("PATCH", path, body, timeout);
    }

    JsonNode delete(String path, Object... query) throws IOException {
        return send("DELETE", path, null, timeout, query);
    }

    /**
     * One call. {@code query} is name/value pairs; a value that is a {@link List} repeats the
     * name ({@code sub=a&sub=b}), a null value leaves the pair out.
     */
    private JsonNode send(String method, String path, JsonNode body, Duration readTimeout, Object... query) throws IOException {
        URI uri = base.resolve(path + queryString(query));
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(readTimeout)
                .header("X-API-Key", apiKey)
                .method(method, publisher);
        if (body != null) {
            rb.header("Content-Type", "application/json");
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(rb.build(), BoundedBody.ofBytes(MAX_REPLY, readTimeout));
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new NodeUnavailableException("the Syncthing node at " + base + " is not answering (is it running?)", e);
        } catch (SSLHandshakeException e) {
            if (TlsHandshakes.cutShort(e)) {
                throw new TransientSyncException("the Syncthing node at " + base + " cut the connection during the TLS handshake ("
                        + e.getMessage() + ")", e);
            }
            throw new AuthenticationException("TLS handshake with the Syncthing node at " + base + " failed, its certificate"
                    + " is not trusted (" + e.getMessage() + "); pin it with the option cert (the node's https-cert.pem)"
                    + " or trust its issuer with ca (a PEM file)", e);
        } catch (HttpTimeoutException e) {
            throw new TransientSyncException("the Syncthing node at " + base + " did not answer " + method + " " + path
                    + " within " + readTimeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while calling " + path);
        } catch (IOException e) {
            if (BoundedBody.tooLarge(e).isPresent()) {
                throw new PermanentSyncException("the Syncthing node at " + base + " answered " + method + " " + path
                        + " with more than " + (MAX_REPLY >> 20) + " MiB: not an answer Syncthing gives", e);
            }
            throw new NodeUnavailableException("the Syncthing node at " + base + " is not answering (is it running?): "
                    + e.getMessage(), e);
        }
        int status = response.statusCode();
        String text = new String(response.body(), StandardCharsets.UTF_8).trim();
        if (status / 100 == 2) {
            return text.isEmpty() ? MissingNode.getInstance() : json(text, method, path);
        }
        String what = method + " " + path + ": " + status + (text.isEmpty() ? "" : " " + text);
        if (status == 401 || status == 403) {
            throw new AuthenticationException("the Syncthing node at " + base + " refused the API key (" + what + ")");
        }
        if (status == 404) {
            throw new NotFoundException("the Syncthing node at " + base + " has no such item (" + what + ")");
        }
        if (status >= 500 && text.isEmpty()) {
            throw new TransientSyncException("the Syncthing node at " + base + " failed (" + what + ")");
        }
        throw new PermanentSyncException("the Syncthing node at " + base + " refused " + what);
    }

    /** The reply as JSON: one cut short is a lost connection (retried), anything else not JSON is refused. */
    private JsonNode json(String text, String method, String path) throws IOException {
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.io.JsonEOFException e) {
            throw new TransientSyncException("the Syncthing node at " + base + " sent a reply to " + method + " " + path
                    + " that stops mid-JSON after " + text.length() + " characters (the connection was cut?)", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String start = text.length() > 100 ? text.substring(0, 100) + "..." : text;
            throw new PermanentSyncException("the Syncthing node at " + base + " answered " + method + " " + path
                    + " with something that is not JSON: " + start.replaceAll("\\p{Cntrl}", "?"), e);
        }
    }

    private static String queryString(Object... query) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < query.length; i += 2) {
            Object value = query[i + 1];
            if (value == null) {
                continue;
            }
            List<?> values = value instanceof List<?> l ? l : List.of(value);
            for (Object v : values) {
                b.append(b.length() == 0 ? '?' : '&').append(query[i]).append('=')
                        .append(URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return b.toString();
    }
}
