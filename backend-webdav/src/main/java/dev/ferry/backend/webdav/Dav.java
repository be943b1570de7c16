package dev.ferry.backend.webdav;

import com.github.sardine.impl.methods.HttpPropFind;
import dev.ferry.api.Entry;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.TransientSyncException;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpDelete;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.util.EntityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every part of a WebDAV target shares: the options, the HTTP client, URL building, one
 * request with its response always closed, status checks, and PROPFIND Depth 0. It also
 * remembers what the open found about the root (missing, a directory, its Nextcloud
 * permissions), so a missing root is asked about once per target, not before every operation.
 */
final class Dav {

    private static final Logger LOG = LoggerFactory.getLogger(Dav.class);

    /** What is known about the root collection. */
    enum Root { UNKNOWN, MISSING, DIRECTORY }

    final WebDavOptions options;
    final DavClient client;
    final String origin;
    /** Collection URLs known to exist (created or seen), so a write does not MKCOL its parents again. */
    final Set<String> knownDirs = ConcurrentHashMap.newKeySet();
    private volatile Root root = Root.UNKNOWN;
    private volatile Optional<String> rootPermissions = Optional.empty();
    private volatile boolean rootSeenAtOpen;

    Dav(WebDavOptions options, DavClient client) {
        this.options = options;
        this.client = client;
        this.origin = options.origin();
    }

    String description() {
        return options.description();
    }

    String user() {
        return options.user();
    }

    boolean nextcloud() {
        return options.kind() == WebDavOptions.Kind.NEXTCLOUD;
    }

    // ---------------------------------------------------------------- the root

    /** Looks at the root once (the open's PROPFIND): whether it exists and, on Nextcloud, what the user may do there. */
    void openRoot() throws IOException {
        root = Root.UNKNOWN;
        Optional<Multistatus.Response> r = propfindZero(SyncPath.ROOT);
        if (r.isEmpty()) {
            root = Root.MISSING;
            return;
        }
        rootPermissions = r.get().permissions();
        if (r.get().collection()) {
            rootSeenAtOpen = true;
            rootFound();
        }
    }

    /** The root is a collection: remembered, so no MKCOL or PROPFIND is spent on it again. */
    void rootFound() {
        root = Root.DIRECTORY;
        knownDirs.add(url(SyncPath.ROOT, true));
    }

    /** Forgets what the open saw, so the next stat of the root asks the server. */
    void rootUnknown() {
        if (root == Root.MISSING) {
            root = Root.UNKNOWN;
        }
    }

    /** Whether the open's PROPFIND described the root as a collection. */
    boolean rootSeenAtOpen() {
        return rootSeenAtOpen;
    }

    /** Whether the open saw no root (and this target has not created it since). */
    boolean rootMissing() {
        return root == Root.MISSING;
    }

    /** The root's {@code oc:permissions} as the open read them; empty where the server gives none. */
    Optional<String> rootPermissions() {
        return rootPermissions;
    }

    // ---------------------------------------------------------------- URLs

    List<String> segments(SyncPath p) {
        List<String> s = new ArrayList<>(options.rootSegments());
        s.addAll(p.segments());
        return s;
    }

    String url(SyncPath p, boolean collection) {
        return DavPaths.url(origin, segments(p), collection);
    }

    /** A URL in this user's Nextcloud upload tree: the folder {@code id}, or {@code name} in it. */
    String uploadUrl(String id, String name) {
        List<String> s = new ArrayList<>(options.uploadSegments());
        s.add(id);
        if (name != null) {
            s.add(name);
        }
        return DavPaths.url(origin, s, name == null);
    }

    String where(SyncPath p) {
        return p.isRoot() ? description() : description() + (description().endsWith("/") ? "" : "/") + p;
    }

    // ---------------------------------------------------------------- requests

    interface ResponseFn<T> {
        T apply(HttpResponse r) throws IOException;
    }

    /** Sends a request and hands its response to {@code fn}; the response is always closed. */
    <T> T call(HttpRequestBase req, String action, String url, ResponseFn<T> fn) throws IOException {
        try (CloseableHttpResponse r = client.send(req)) {
            T result = fn.apply(r);
            EntityUtils.consumeQuietly(r.getEntity());
            return result;
        } catch (IOException e) {
            throw WebDavErrors.io(e, action, url, options);
        }
    }

    /** Sends an upload; a failure of the content itself (the source's, or its size check) is thrown as it was. */
    <T> T upload(HttpRequestBase req, UploadBody body, String action, String url, ResponseFn<T> fn) throws IOException {
        try {
            return call(req, action, url, fn);
        } catch (IOException e) {
            if (body != null && body.contentFailure() != null) {
                throw body.contentFailure();
            }
            throw e;
        }
    }

    int expect(HttpResponse r, String action, String url, int... ok) throws SyncException {
        int code = r.getStatusLine().getStatusCode();
        for (int c : ok) {
            if (c == code) {
                return code;
            }
        }
        throw WebDavErrors.status(r, action, url, options.user());
    }

    void deleteQuietly(String url) {
        try {
            call(new HttpDelete(url), "delete", url, r -> null);
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", url, e.getMessage());
        }
    }

    static HttpPropFind propfind(String url, String depth) {
        HttpPropFind pf = new HttpPropFind(url);
        pf.setDepth(depth);
        pf.setEntity(new StringEntity(Multistatus.PROPFIND_BODY, ContentType.create("application/xml", StandardCharsets.UTF_8)));
        return pf;
    }

    // ---------------------------------------------------------------- stat

    /** PROPFIND Depth 0; temporary names are never stat'ed. */
    Optional<Entry> stat(SyncPath path) throws IOException {
        if (!path.isRoot() && TemporaryNames.isTemporary(path.name())) {
            return Optional.empty();
        }
        return statAny(path);
    }

    /** PROPFIND Depth 0, temporary names included (for the probe). */
    Optional<Entry> statAny(SyncPath path) throws IOException {
        if (path.isRoot() && rootMissing()) {
            return Optional.empty();
        }
        Optional<Multistatus.Response> r = propfindZero(path);
        if (r.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(DavEntries.toEntry(path, r.get()).orElseThrow(() -> new PermanentSyncException(
                "cannot stat " + where(path) + ": the server gave no valid size for this file")));
    }

    private Optional<Multistatus.Response> propfindZero(SyncPath path) throws IOException {
        String url = url(path, path.isRoot());
        String action = "stat " + where(path);
        List<String> want = segments(path);
        return call(propfind(url, "0"), action, url, r -> {
            int code = r.getStatusLine().getStatusCode();
            if (code == 404 || code == 409) {
                return Optional.<Multistatus.Response>empty();
            }
            expect(r, action, url, 207);
            List<Multistatus.Response> found = new ArrayList<>(1);
            Multistatus.parse(r.getEntity().getContent(), resp -> {
                if (found.isEmpty() && resp.status() == 200
                        && DavPaths.hrefSegments(resp.href()).filter(want::equals).isPresent()) {
                    found.add(resp);
                }
            });
            if (found.isEmpty()) {
                throw new PermanentSyncException("cannot " + action + ": the server's answer did not describe it");
            }
            return Optional.of(found.get(0));
        });
    }

    /** The file as the server has it after a write: one PROPFIND. */
    Entry storedEntry(SyncPath path, String action) throws IOException {
        return stat(path).orElseThrow(() -> new TransientSyncException("cannot " + action
                + ": the file was written but is not there any more"));
    }
}
