package dev.ferry.backend.webdav;

import com.github.sardine.impl.SardineImpl;
import com.github.sardine.impl.SardineRedirectStrategy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.DefaultHostnameVerifier;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.auth.BasicScheme;
import org.apache.http.impl.client.BasicAuthCache;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

/**
 * Sardine's HTTP client set up for sync: a connection pool sized to the transfers, timeouts,
 * redirects followed for WebDAV methods too (Sardine's strategy) but at most a few and never in
 * a circle, TLS verified against the JVM's trust store (or the target's pinned certificate or CA
 * file, {@link dev.ferry.backend.support.TlsTrust}), and Basic credentials sent pre-emptively
 * to the configured host only — a streamed PUT cannot be repeated after a 401 challenge, and a
 * redirect to another host must not receive the password.
 *
 * <p>Each request gets its own {@link HttpClientContext}: Sardine's shared one keeps per-request
 * state and is not safe for the parallel requests a sync makes.
 */
final class DavClient extends SardineImpl {

    private static final int MAX_REDIRECTS = 5;

    private final HttpHost host;
    private final BasicCredentialsProvider credentials;
    private final RequestConfig config;

    DavClient(WebDavOptions o) {
        super(builder(o), null, null);
        int port = o.port() > 0 ? o.port() : o.https() ? 443 : 80;
        this.host = new HttpHost(o.host(), port, o.https() ? "https" : "http");
        this.credentials = new BasicCredentialsProvider();
        if (!o.user().isEmpty()) {
            credentials.setCredentials(new AuthScope(host), new UsernamePasswordCredentials(o.user(), o.password()));
        }
        this.config = RequestConfig.custom()
                .setConnectTimeout((int) o.connectTimeout().toMillis())
                .setConnectionRequestTimeout((int) o.timeout().toMillis())
                .setSocketTimeout((int) o.timeout().toMillis())
                .setRedirectsEnabled(true)
                .setMaxRedirects(MAX_REDIRECTS)
                .setCircularRedirectsAllowed(false)
                .setExpectContinueEnabled(false)
                .build();
    }

    private static HttpClientBuilder builder(WebDavOptions o) {
        PoolingHttpClientConnectionManager pool = o.trust().isEmpty() ? new PoolingHttpClientConnectionManager()
                : new PoolingHttpClientConnectionManager(RegistryBuilder.<ConnectionSocketFactory>create()
                        .register("http", PlainConnectionSocketFactory.getSocketFactory())
                        .register("https", new SSLConnectionSocketFactory(o.trust().get().context(),
                                // A pin is the server's identity itself; with a CA file the name is still checked.
                                o.trust().get().checksHostName() ? new DefaultHostnameVerifier() : NoopHostnameVerifier.INSTANCE))
                        .build());
        // Listing workers and transfers both draw from the pool: room for both.
        pool.setMaxTotal(o.connections() * 2 + 2);
        pool.setDefaultMaxPerRoute(o.connections() * 2 + 2);
        return HttpClientBuilder.create()
                .useSystemProperties()
                .setConnectionManager(pool)
                .setRedirectStrategy(new SardineRedirectStrategy())
                .setUserAgent("ferry-webdav")
                // The engine retries with backoff and knows what is safe to repeat; no silent resends.
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableContentCompression();
    }

    /**
     * Sends a request; the caller closes the response (which returns the connection to the pool).
     * Failures of the request itself come as the HTTP client's exceptions, for {@link WebDavErrors}.
     */
    CloseableHttpResponse send(HttpRequestBase request) throws IOException {
        request.setConfig(config);
        HttpClientContext ctx = HttpClientContext.create();
        ctx.setCredentialsProvider(credentials);
        BasicAuthCache cache = new BasicAuthCache();
        cache.put(host, new BasicScheme(StandardCharsets.UTF_8));
        ctx.setAuthCache(cache);
        try {
            return client.execute(request, ctx);
        } catch (IOException | RuntimeException e) {
            request.abort();
            throw e;
        }
    }

    @Override
    public void shutdown() throws IOException {
        client.close();
    }
}
