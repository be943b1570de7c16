package dev.ferry.backend.webdav;

import com.github.sardine.impl.methods.HttpCopy;
import com.github.sardine.impl.methods.HttpMkCol;
import com.github.sardine.impl.methods.HttpMove;
import com.github.sardine.impl.methods.HttpPropFind;
import com.github.sardine.impl.methods.HttpPropPatch;
import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.ModTimeSetter;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.RecursiveLister;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.ServerSideCopy;
import dev.ferry.api.ServerSideMove;
import dev.ferry.api.SyncException;
import dev.ferry.backend.support.Probed;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.backend.support.TemporaryNames;
import dev.ferry.api.TransientSyncException;
import dev.ferry.api.WriteHints;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.http.Header;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpDelete;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPut;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.util.EntityUtils;

/**
 * A WebDAV collection as a {@link SyncTarget}: generic servers (Apache mod_dav, rclone serve,
 * NAS boxes) and Nextcloud's dialect.
 *
 * <p>Listings are PROPFIND Depth 1, parsed as they stream; a whole tree is walked breadth-first
 * by {@link #listRecursive} with at most {@code connections} PROPFINDs at once (never Depth
 * infinity, which servers refuse or answer with everything at once). Hrefs are decoded once and
 * must name a direct child of the listed collection; anything else is reported, never believed.
 *
 * <p>Writes on generic servers go to a temporary name (PUT) and are renamed into place (MOVE,
 * {@code Overwrite: T}). On Nextcloud a PUT is already atomic (the server writes a part file), so
 * it goes straight to the path with {@code X-OC-Mtime} and {@code OC-Checksum}; files larger than
 * the chunk size use chunked upload v2. Whether the server keeps modification times and
 * checksums is probed once with a small temporary file, never assumed from the scheme.
 */
final class WebDavTarget
        implements SyncTarget, ServerSideCopy, ServerSideMove, ModTimeSetter, RecursiveLister, ResumableWriter {

    private static final System.Logger LOG = System.getLogger(WebDavTarget.class.getName());
    private static final Duration SECOND = Duration.ofSeconds(1);
    /** Nextcloud refuses X-OC-Mtime values up to one day after the epoch (MtimeSanitizer). */
    private static final long MIN_OC_MTIME = 86_401;
    /** Small uploads of unknown hash are read into memory to send OC-Checksum up front. */
    private static final int HASH_BUFFER = 1 << 20;
    private static final int LOCK_RETRIES = 5;
    private static final Instant PROBE_TIME = Instant.ofEpochSecond(1_000_000_000L);

    private final WebDavOptions options;
    private final DavClient client;
    private final String origin;
    private final Set<String> knownDirs = ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, Object> creating = new ConcurrentHashMap<>();
    private final ExecutorService listers;
    private final Probed<Capabilities> capabilities = new Probed<>(this::measureCapabilities);

    private WebDavTarget(WebDavOptions options, DavClient client) {
        this.options = options;
        this.client = client;
        this.origin = options.origin();
        this.listers = Executors.newFixedThreadPool(options.connections(), r -> {
            Thread t = new Thread(r, "ferry-webdav-list");
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens a target; checks the credentials with one PROPFIND of the root (which may not exist yet). */
    static WebDavTarget open(WebDavOptions options) throws IOException {
        WebDavTarget t = new WebDavTarget(options, new DavClient(options));
        try {
            t.stat(SyncPath.ROOT);
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    @Override
    public String description() {
        return options.description();
    }

    @Override
    public String toString() {
        return "WebDavTarget[" + options.description() + "]";
    }

    // ---------------------------------------------------------------- URLs

    private List<String> segments(SyncPath p) {
        List<String> s = new ArrayList<>(options.rootSegments());
        s.addAll(p.segments());
        return s;
    }

    private String url(SyncPath p, boolean collection) {
        return DavPaths.url(origin, segments(p), collection);
    }

    private String uploadUrl(String id, String name) {
        List<String> s = new ArrayList<>(options.uploadSegments());
        s.add(id);
        if (name != null) {
            s.add(name);
        }
        return DavPaths.url(origin, s, name == null);
    }

    // ---------------------------------------------------------------- capabilities

    @Override
    public Capabilities capabilities() {
        return capabilities.get();
    }

    private Probed.Outcome<Capabilities> measureCapabilities() {
        Capabilities.Builder b = Capabilities.builder()
                .modTimePrecision(SECOND)
                .maxNameLength(TemporaryNames.MAX_NAME_BYTES)
                .caseSensitive(true)
                .conditionalWrites(options.kind() == WebDavOptions.Kind.NEXTCLOUD);
        Optional<Probe> probe;
        try {
            probe = probe();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "capability probe of " + description() + " failed: " + e.getMessage());
            probe = Optional.of(new Probe(false, false));
        }
        if (probe.isEmpty()) {
            // The root does not exist yet: say what the dialect promises, probe again later.
            return Probed.Outcome.guessed(b.keepsModTime(options.kind() == WebDavOptions.Kind.NEXTCLOUD).build());
        }
        b.keepsModTime(probe.get().mtime());
        if (probe.get().sha1() && (options.kind() != WebDavOptions.Kind.NEXTCLOUD || options.chunkSize() > 0)) {
            b.hashes(EnumSet.of(HashAlgorithm.SHA1));
        }
        return Probed.Outcome.measured(b.build());
    }

    private record Probe(boolean mtime, boolean sha1) {}

    /**
     * Writes a one-byte temporary file with {@code X-OC-Mtime} and {@code OC-Checksum}, and reads
     * back what the server kept. Empty when the root does not exist.
     */
    private Optional<Probe> probe() throws IOException {
        Optional<Entry> root = stat(SyncPath.ROOT);
        if (root.isEmpty() || !root.get().isDirectory()) {
            return Optional.empty();
        }
        SyncPath p = SyncPath.ROOT.child(TemporaryNames.newName("probe"));
        byte[] x = {'x'};
        String sha1 = HashAlgorithm.hex(HashAlgorithm.SHA1.newDigest().digest(x));
        HttpPut put = new HttpPut(url(p, false));
        put.setHeader("X-OC-Mtime", Long.toString(PROBE_TIME.getEpochSecond()));
        put.setHeader("OC-Checksum", "SHA1:" + sha1);
        put.setEntity(new ByteArrayEntity(x));
        boolean accepted;
        try {
            accepted = call(put, "probe " + description(), url(p, false), r -> {
                expect(r, "probe", url(p, false), 200, 201, 204);
                return mtimeAccepted(r);
            });
        } catch (PermanentSyncException e) {
            // A read-only root: nothing can be learned, nothing will be written either.
            return Optional.of(new Probe(false, false));
        }
        try {
            Optional<Entry> e = statAny(p);
            boolean mtime = accepted || e.flatMap(Entry::modTime).filter(PROBE_TIME::equals).isPresent();
            boolean hash = e.flatMap(en -> en.hash(HashAlgorithm.SHA1)).filter(sha1::equals).isPresent();
            return Optional.of(new Probe(mtime, hash));
        } finally {
            deleteQuietly(url(p, false));
        }
    }

    @Override
    public <T> Optional<T> ability(Class<T> type) {
        if (type == ModTimeSetter.class
                && (options.kind() != WebDavOptions.Kind.NEXTCLOUD || !capabilities().keepsModTime())) {
            return Optional.empty();
        }
        if (type == ResumableWriter.class
                && (options.kind() != WebDavOptions.Kind.NEXTCLOUD || options.chunkSize() == 0)) {
            return Optional.empty();
        }
        return SyncTarget.super.ability(type);
    }

    // ---------------------------------------------------------------- requests

    private interface ResponseFn<T> {
        T apply(HttpResponse r) throws IOException;
    }

    /** Sends a request and hands its response to {@code fn}; the response is always closed. */
    private <T> T call(HttpRequestBase req, String action, String url, ResponseFn<T> fn) throws IOException {
        try (CloseableHttpResponse r = client.send(req)) {
            T result = fn.apply(r);
            EntityUtils.consumeQuietly(r.getEntity());
            return result;
        } catch (IOException e) {
            throw WebDavErrors.io(e, action, url);
        }
    }

    private int expect(HttpResponse r, String action, String url, int... ok) throws SyncException {
        int code = r.getStatusLine().getStatusCode();
        for (int c : ok) {
            if (c == code) {
                return code;
            }
        }
        throw WebDavErrors.status(r, action, url, options.user());
    }

    private void deleteQuietly(String url) {
        try {
            call(new HttpDelete(url), "delete", url, r -> null);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not delete " + url + ": " + e.getMessage());
        }
    }

    private static HttpPropFind propfind(String url, String depth) {
        HttpPropFind pf = new HttpPropFind(url);
        pf.setDepth(depth);
        pf.setEntity(new StringEntity(Multistatus.PROPFIND_BODY, ContentType.create("application/xml", StandardCharsets.UTF_8)));
        return pf;
    }

    // ---------------------------------------------------------------- listing

    @Override
    public void list(SyncPath directory, ListingSink sink) throws IOException {
        listInto(directory, sink);
    }

    /** PROPFIND Depth 1 of one collection, streamed into {@code sink}. */
    private void listInto(SyncPath directory, ListingSink sink) throws IOException {
        String url = url(directory, true);
        String action = "list " + where(directory);
        List<String> self = segments(directory);
        List<String> stale = new ArrayList<>();
        boolean[] sawSelf = {false};
        call(propfind(url, "1"), action, url, r -> {
            int code = r.getStatusLine().getStatusCode();
            if (code == 404 || code == 409) {
                throw new NotFoundException("cannot " + action + ": no such directory (" + code + ")");
            }
            expect(r, action, url, 207);
            Multistatus.parse(r.getEntity().getContent(), resp -> {
                Optional<List<String>> segs = DavPaths.hrefSegments(resp.href());
                if (segs.isEmpty()) {
                    sink.notice(new ListingNotice(directory + " " + resp.href(), ListingNotice.Reason.HOSTILE_NAME,
                            "the server listed an unreadable href in " + where(directory)));
                    return;
                }
                List<String> s = segs.get();
                if (s.equals(self)) {
                    sawSelf[0] = true;
                    if (!resp.collection()) {
                        throw new NotFoundException("cannot " + action + ": it is a file, not a directory");
                    }
                    return;
                }
                if (s.size() != self.size() + 1 || !s.subList(0, self.size()).equals(self)) {
                    sink.notice(new ListingNotice(resp.href(), ListingNotice.Reason.HOSTILE_NAME,
                            "the server listed an entry outside " + where(directory) + "; not believed"));
                    return;
                }
                String name = s.get(s.size() - 1);
                if (resp.status() != 200) {
                    sink.notice(new ListingNotice(directory.isRoot() ? name : directory + "/" + name,
                            ListingNotice.Reason.UNREADABLE, "the server answered " + resp.status() + " for it"));
                    return;
                }
                if (TemporaryNames.isTemporary(name)) {
                    Optional<Instant> t = parseTime(resp.lastModified());
                    if (t.isPresent() && t.get().isBefore(Instant.now().minus(options.tempMaxAge()))) {
                        stale.add(name);
                    }
                    return;
                }
                SyncPath child;
                try {
                    child = directory.child(name);
                } catch (IllegalArgumentException e) {
                    sink.notice(ListingNotice.hostileName(directory, name, "in " + where(directory) + ": " + e.getMessage()));
                    return;
                }
                Optional<Entry> e = toEntry(child, resp);
                if (e.isEmpty()) {
                    sink.notice(new ListingNotice(child.toString(), ListingNotice.Reason.UNREADABLE,
                            "the server gave no valid size for this file"));
                    return;
                }
                sink.entry(e.get());
            });
            return null;
        });
        for (String name : stale) {
            deleteQuietly(url(directory.child(name), false));
        }
    }

    private String where(SyncPath p) {
        return p.isRoot() ? description() : description() + (description().endsWith("/") ? "" : "/") + p;
    }

    private static Optional<Instant> parseTime(Optional<String> text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZonedDateTime.parse(text.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The entry for a response; empty for a file without a readable size. */
    private static Optional<Entry> toEntry(SyncPath path, Multistatus.Response r) {
        Entry.Builder b;
        if (r.collection()) {
            b = Entry.directory(path);
        } else {
            long size = r.length() >= 0 ? r.length() : r.ocSize();
            if (size < 0) {
                return Optional.empty();
            }
            b = Entry.file(path, size);
            for (String list : r.checksums()) {
                for (String one : list.split("[,\\s]+")) {
                    int colon = one.indexOf(':');
                    if (colon <= 0) {
                        continue;
                    }
                    Optional<HashAlgorithm> alg = HashAlgorithm.byName(one.substring(0, colon));
                    if (alg.isPresent()) {
                        try {
                            b.hash(alg.get(), one.substring(colon + 1));
                        } catch (IllegalArgumentException e) {
                            // a malformed value is no value
                        }
                    }
                }
            }
        }
        parseTime(r.lastModified()).ifPresent(b::modTime);
        b.modTimePrecision(SECOND);
        // Apache marks an ETag weak (W/"…") while the file is less than a second old, then
        // strong with the same value: one version, so the marker is not part of the token.
        r.etag().map(e -> e.startsWith("W/") ? e.substring(2) : e).filter(e -> !e.isEmpty()).ifPresent(b::version);
        return Optional.of(b.build());
    }

    /**
     * Walks the tree below {@code directory} breadth-first, with at most {@code connections}
     * PROPFINDs in flight; entries reach {@code sink} on the calling thread, through a bounded
     * queue, so memory stays bounded however large the tree.
     */
    @Override
    public void listRecursive(SyncPath directory, ListingSink sink) throws IOException {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(1024);
        AtomicBoolean cancelled = new AtomicBoolean();
        Object done = new Object();
        int active = 0;
        java.util.ArrayDeque<SyncPath> waiting = new java.util.ArrayDeque<>();
        waiting.add(directory);
        try {
            while (!waiting.isEmpty() || active > 0) {
                while (!waiting.isEmpty() && active < options.connections()) {
                    SyncPath dir = waiting.poll();
                    active++;
                    listers.execute(() -> {
                        ListingSink toQueue = new ListingSink() {
                            @Override
                            public void entry(Entry entry) throws IOException {
                                put(queue, cancelled, entry);
                            }

                            @Override
                            public void notice(ListingNotice notice) {
                                try {
                                    put(queue, cancelled, notice);
                                } catch (IOException e) {
                                    // cancelled: the caller no longer reads
                                }
                            }
                        };
                        try {
                            listInto(dir, toQueue);
                            put(queue, cancelled, done);
                        } catch (IOException | RuntimeException e) {
                            try {
                                put(queue, cancelled, e);
                            } catch (IOException ignored) {
                                // cancelled
                            }
                        }
                    });
                }
                Object item;
                try {
                    item = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("listing interrupted");
                }
                if (item == done) {
                    active--;
                } else if (item instanceof Entry e) {
                    sink.entry(e);
                    if (e.isDirectory()) {
                        waiting.add(e.path());
                    }
                } else if (item instanceof ListingNotice n) {
                    sink.notice(n);
                } else if (item instanceof IOException e) {
                    throw e;
                } else if (item instanceof RuntimeException e) {
                    throw e;
                }
            }
        } finally {
            cancelled.set(true);
        }
    }

    private static void put(BlockingQueue<Object> queue, AtomicBoolean cancelled, Object item) throws IOException {
        try {
            while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                if (cancelled.get()) {
                    throw new InterruptedIOException("listing cancelled");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("listing interrupted");
        }
    }

    @Override
    public Optional<Entry> stat(SyncPath path) throws IOException {
        if (!path.isRoot() && TemporaryNames.isTemporary(path.name())) {
            return Optional.empty();
        }
        return statAny(path);
    }

    /** PROPFIND Depth 0, temporary names included (for the probe). */
    private Optional<Entry> statAny(SyncPath path) throws IOException {
        String url = url(path, path.isRoot());
        String action = "stat " + where(path);
        List<String> want = segments(path);
        return call(propfind(url, "0"), action, url, r -> {
            int code = r.getStatusLine().getStatusCode();
            if (code == 404 || code == 409) {
                return Optional.<Entry>empty();
            }
            expect(r, action, url, 207);
            List<Entry> found = new ArrayList<>(1);
            Multistatus.parse(r.getEntity().getContent(), resp -> {
                if (found.isEmpty() && resp.status() == 200
                        && DavPaths.hrefSegments(resp.href()).filter(want::equals).isPresent()) {
                    toEntry(path, resp).ifPresent(found::add);
                }
            });
            if (found.isEmpty()) {
                throw new PermanentSyncException("cannot " + action + ": the server's answer did not describe it");
            }
            return Optional.of(found.get(0));
        });
    }

    // ---------------------------------------------------------------- reading

    @Override
    public InputStream open(SyncPath path, long offset) throws IOException {
        String url = url(path, false);
        String action = "read " + where(path);
        HttpGet get = new HttpGet(url);
        if (offset > 0) {
            get.setHeader("Range", "bytes=" + offset + "-");
        }
        CloseableHttpResponse r;
        try {
            r = client.send(get);
        } catch (IOException e) {
            throw WebDavErrors.io(e, action, url);
        }
        try {
            int code = r.getStatusLine().getStatusCode();
            if (code == 416) {
                r.close();
                return InputStream.nullInputStream();
            }
            if (code != 200 && code != 206) {
                throw WebDavErrors.status(r, action, url, options.user());
            }
            Header type = r.getFirstHeader("Content-Type");
            if (type != null && type.getValue().toLowerCase(Locale.ROOT).startsWith("text/html")) {
                // Some servers (rclone serve) answer GET on a collection with an HTML index.
                Optional<Entry> e = stat(path);
                if (e.isEmpty() || e.get().isDirectory()) {
                    throw new NotFoundException("cannot " + action + ": it is a directory, not a file");
                }
            }
            InputStream body = r.getEntity() == null ? InputStream.nullInputStream() : r.getEntity().getContent();
            if (code == 200 && offset > 0) {
                // The server ignored the range: skip to the offset ourselves.
                long skipped = body.skip(offset);
                while (skipped < offset && body.read() >= 0) {
                    skipped++;
                }
            }
            return new FilterInputStream(body) {
                @Override
                public int read() throws IOException {
                    try {
                        return super.read();
                    } catch (IOException e) {
                        throw WebDavErrors.io(e, action, url);
                    }
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return super.read(b, off, len);
                    } catch (IOException e) {
                        throw WebDavErrors.io(e, action, url);
                    }
                }

                @Override
                public void close() throws IOException {
                    // Closing before the end drops the connection instead of reading the rest.
                    r.close();
                }
            };
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- writing

    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        if (path.isRoot()) {
            throw new PermanentSyncException("cannot write a file at the root of " + description());
        }
        makeDirectories(path.parent());
        if (options.kind() == WebDavOptions.Kind.NEXTCLOUD) {
            return writeNextcloud(path, content, hints);
        }
        return writeGeneric(path, content, hints);
    }

    /** Generic servers: PUT to a temporary name beside the file, then MOVE it into place. */
    private Entry writeGeneric(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        SyncPath temp = path.parent().child(TemporaryNames.newName(path.name()));
        String tempUrl = url(temp, false);
        String action = "write " + where(path);
        HttpPut put = new HttpPut(tempUrl);
        mtimeHeader(put, hints);
        SizedEntity body = new SizedEntity(content, hints.size(), Long.MAX_VALUE, true, null);
        put.setEntity(body);
        boolean moved = false;
        try {
            send(put, body, action, tempUrl, 200, 201, 204);
            HttpMove move = new HttpMove(tempUrl, url(path, false), true);
            // Overwrite: F turns "must be absent" into one atomic check on the server.
            if (hints.precondition().mustBeAbsent()) {
                move.setHeader("Overwrite", "F");
            }
            call(move, action, tempUrl, r -> expect(r, action, url(path, false), 201, 204));
            moved = true;
        } finally {
            if (!moved) {
                deleteQuietly(tempUrl);
            }
        }
        return storedEntry(path, action);
    }

    private static void mtimeHeader(HttpRequestBase req, WriteHints hints) {
        hints.modTime().map(Instant::getEpochSecond).filter(s -> s >= MIN_OC_MTIME)
                .ifPresent(s -> req.setHeader("X-OC-Mtime", Long.toString(s)));
    }

    /** Sends an upload; a failure of the content itself is thrown as it was. */
    private HttpResponseInfo send(HttpRequestBase req, SizedEntity body, String action, String url, int... ok)
            throws IOException {
        try {
            return call(req, action, url, r -> {
                expect(r, action, url, ok);
                return new HttpResponseInfo(mtimeAccepted(r));
            });
        } catch (IOException e) {
            if (body != null && body.contentFailure() != null) {
                throw body.contentFailure();
            }
            throw e;
        }
    }

    private record HttpResponseInfo(boolean mtimeAccepted) {}

    private Entry storedEntry(SyncPath path, String action) throws IOException {
        return stat(path).orElseThrow(() -> new TransientSyncException("cannot " + action
                + ": the file was written but is not there any more"));
    }

    /**
     * Nextcloud: a single PUT (atomic on the server) with X-OC-Mtime, OC-Checksum and the
     * precondition headers, or chunked upload v2 for large files and for files whose SHA-1 is
     * not known up front (the checksum then goes with the final MOVE).
     */
    private Entry writeNextcloud(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        long size = hints.size();
        Optional<String> sha1 = Optional.ofNullable(hints.hashes().get(HashAlgorithm.SHA1));
        boolean chunking = options.chunkSize() > 0;
        if (chunking && (size < 0 || size > options.chunkSize() || (sha1.isEmpty() && size > HASH_BUFFER))) {
            return writeChunked(path, content, hints);
        }
        String url = url(path, false);
        String action = "write " + where(path);
        HttpPut put = new HttpPut(url);
        mtimeHeader(put, hints);
        preconditionHeaders(put, hints);
        SizedEntity streamed = null;
        if (sha1.isEmpty() && size >= 0 && size <= HASH_BUFFER) {
            byte[] data = content.readNBytes((int) size + 1);
            if (data.length != size) {
                throw new IOException("the content has " + (data.length > size ? "more" : data.length)
                        + " bytes, not the announced " + size);
            }
            sha1 = Optional.of(HashAlgorithm.hex(HashAlgorithm.SHA1.newDigest().digest(data)));
            put.setEntity(new ByteArrayEntity(data));
        } else {
            streamed = new SizedEntity(content, size, Long.MAX_VALUE, true, null);
            put.setEntity(streamed);
        }
        sha1.ifPresent(h -> put.setHeader("OC-Checksum", "SHA1:" + h));
        HttpResponseInfo info = send(put, streamed, action, url, 200, 201, 204);
        return afterNextcloudWrite(path, hints, info, action);
    }

    private static void preconditionHeaders(HttpRequestBase req, WriteHints hints) {
        if (hints.precondition().mustBeAbsent()) {
            req.setHeader("If-None-Match", "*");
        }
        hints.precondition().expectedVersion().ifPresent(v -> req.setHeader("If-Match", v));
    }

    /** Confirms the mtime (falling back to PROPPATCH when the server did not accept the header). */
    private Entry afterNextcloudWrite(SyncPath path, WriteHints hints, HttpResponseInfo info, String action)
            throws IOException {
        Optional<Instant> want = hints.modTime().filter(t -> t.getEpochSecond() >= MIN_OC_MTIME);
        if (want.isPresent() && !info.mtimeAccepted() && capabilities().keepsModTime()) {
            try {
                return setModTime(path, want.get());
            } catch (PermanentSyncException e) {
                // The content is in place; a time the server refuses is reported, not a failed write.
                LOG.log(System.Logger.Level.WARNING, "{0}: the server kept neither X-OC-Mtime nor a PROPPATCH of "
                        + "lastmodified; the file has the server''s time", where(path));
            }
        }
        return storedEntry(path, action);
    }

    /** Nextcloud chunked upload v2: MKCOL, numbered chunks, MOVE of {@code .file}. */
    private Entry writeChunked(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        String action = "write " + where(path);
        String dest = url(path, false);
        checkPrecondition(path, hints, action);
        String id = newUpload(dest, action);
        boolean finished = false;
        try {
            MessageDigest sha1 = HashAlgorithm.SHA1.newDigest();
            long sent = sendChunks(id, dest, hints.size(), content, 0, 0, sha1, action);
            HttpResponseInfo info = assemble(id, path, sent, hints, HashAlgorithm.hex(sha1.digest()), action);
            finished = true;
            return afterNextcloudWrite(path, hints, info, action);
        } finally {
            if (!finished) {
                deleteQuietly(uploadUrl(id, null));
            }
        }
    }

    /**
     * Sabre checks preconditions on the MOVE's own URL ({@code .file}), not on its destination:
     * chunked uploads check just before they start; the window is the upload's length.
     */
    private void checkPrecondition(SyncPath path, WriteHints hints, String action) throws IOException {
        if (hints.precondition().isNone()) {
            return;
        }
        Optional<Entry> now = stat(path);
        boolean ok = hints.precondition().mustBeAbsent() ? now.isEmpty()
                : now.flatMap(Entry::version).equals(hints.precondition().expectedVersion());
        if (!ok) {
            throw new PreconditionFailedException("cannot " + action + ": the file changed on the server");
        }
    }

    /** MKCOL of a fresh upload folder with the Destination header (chunking v2); returns its id. */
    private String newUpload(String dest, String action) throws IOException {
        sweepAbandonedUploads();
        String id = "ferry-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
                + Long.toHexString(System.nanoTime());
        OWN_UPLOADS.add(id);
        String dir = uploadUrl(id, null);
        HttpMkCol mkcol = new HttpMkCol(dir);
        mkcol.setHeader("Destination", dest);
        call(mkcol, action, dir, r -> expect(r, action, dir, 201));
        return id;
    }

    /** Upload folders this process made: never swept as abandoned while it runs. */
    private static final Set<String> OWN_UPLOADS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final java.util.concurrent.atomic.AtomicBoolean uploadsSwept = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Before this target's first chunked upload: deletes Ferry's upload folders (a killed upload
     * nobody came back to continue) untouched for {@code tempMaxAge}. A live upload touches its
     * folder with every chunk, and one journaled for resuming is continued long before that.
     * Best effort: Nextcloud also expires upload folders itself after a day.
     */
    private void sweepAbandonedUploads() {
        if (!uploadsSwept.compareAndSet(false, true)) {
            return;
        }
        String base = DavPaths.url(origin, options.uploadSegments(), true);
        Instant cutoff = Instant.now().minus(options.tempMaxAge());
        List<String> stale = new ArrayList<>();
        try {
            call(propfind(base, "1"), "list the upload folders", base, r -> {
                if (r.getStatusLine().getStatusCode() != 207) {
                    return null;
                }
                Multistatus.parse(r.getEntity().getContent(), resp -> {
                    Optional<List<String>> segs = DavPaths.hrefSegments(resp.href());
                    if (segs.isEmpty() || !resp.collection() || segs.get().isEmpty()) {
                        return;
                    }
                    String id = segs.get().get(segs.get().size() - 1);
                    Optional<Instant> t = parseTime(resp.lastModified());
                    if (id.matches("ferry-[0-9a-f]+") && !OWN_UPLOADS.contains(id) && t.isPresent()
                            && t.get().isBefore(cutoff)) {
                        stale.add(id);
                    }
                });
                return null;
            });
        } catch (IOException | RuntimeException e) {
            return; // the upload itself goes on; the next target tries again
        }
        stale.forEach(id -> deleteQuietly(uploadUrl(id, null)));
    }

    /**
     * PUTs {@code content} as chunks numbered from {@code held + 1}, each {@code chunkSize} bytes
     * but the last, with Destination and OC-Total-Length; {@code done} bytes are already held.
     * A chunk is stored whole or not at all, so a failure leaves a clean prefix to resume from.
     *
     * @return the bytes this call sent
     */
    private long sendChunks(String id, String dest, long total, InputStream content, int held, long done,
            MessageDigest sha1, String action) throws IOException {
        PushbackInputStream in = new PushbackInputStream(content, 1);
        long sent = 0;
        int n = held;
        while (true) {
            long len;
            if (total >= 0) {
                len = Math.min(options.chunkSize(), total - done - sent);
                if (len == 0 && n > 0) {
                    break;
                }
            } else {
                int b = in.read();
                if (b < 0 && n > 0) {
                    break;
                }
                if (b >= 0) {
                    in.unread(b);
                }
                len = -1;
            }
            n++;
            if (n > 10_000) {
                throw new PermanentSyncException("cannot " + action + ": more than 10,000 chunks; raise chunkSize");
            }
            String chunkUrl = uploadUrl(id, String.format("%05d", n));
            HttpPut put = new HttpPut(chunkUrl);
            put.setHeader("Destination", dest);
            if (total >= 0) {
                put.setHeader("OC-Total-Length", Long.toString(total));
            }
            boolean last = total >= 0 && done + sent + len == total;
            SizedEntity body = new SizedEntity(in, len, options.chunkSize(), last, sha1);
            put.setEntity(body);
            send(put, body, action, chunkUrl, 201, 204, 200);
            sent += body.sent();
            if (total < 0 && body.reachedEnd()) {
                break;
            }
        }
        return sent;
    }

    /**
     * MOVE of {@code .file} onto the destination. 423 means the server is still assembling or
     * someone holds a lock: wait and retry, doubling the wait; a 404 after a 423 means an earlier
     * attempt finished (the upload folder is gone), which the file's size confirms.
     */
    private HttpResponseInfo assemble(String id, SyncPath path, long total, WriteHints hints, String sha1, String action)
            throws IOException {
        String fileUrl = uploadUrl(id, ".file");
        Duration wait = options.lockRetry();
        boolean locked = false;
        for (int attempt = 0; ; attempt++) {
            HttpMove move = new HttpMove(fileUrl, url(path, false), true);
            move.setHeader("OC-Total-Length", Long.toString(total));
            if (sha1 != null) {
                move.setHeader("OC-Checksum", "SHA1:" + sha1);
            }
            mtimeHeader(move, hints);
            boolean mayWait = attempt < LOCK_RETRIES;
            HttpResponseInfo info;
            try {
                info = call(move, action, fileUrl, r -> {
                    if (r.getStatusLine().getStatusCode() == 423 && mayWait) {
                        return null;
                    }
                    expect(r, action, fileUrl, 201, 204);
                    return new HttpResponseInfo(mtimeAccepted(r));
                });
            } catch (NotFoundException e) {
                // After a 423 the upload folder may be gone because assembly finished.
                if (locked && stat(path).filter(now -> now.size() == total).isPresent()) {
                    return new HttpResponseInfo(false);
                }
                throw e;
            }
            if (info != null) {
                return info;
            }
            locked = true;
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the server held a lock");
            }
            wait = wait.multipliedBy(2);
        }
    }

    private static boolean mtimeAccepted(HttpResponse r) {
        Header h = r.getFirstHeader("X-OC-MTime");
        return h != null && h.getValue().trim().equalsIgnoreCase("accepted");
    }

    // ---------------------------------------------------------------- resumable (Nextcloud chunks)

    /**
     * Starts a chunked upload that a later process can continue: the token is the upload
     * folder's id and the destination path, so nothing but the server needs to remember it.
     */
    @Override
    public PartialWrite begin(SyncPath path, WriteHints hints) throws IOException {
        String action = "write " + where(path);
        if (hints.size() < 0) {
            throw new PermanentSyncException("cannot " + action + ": a resumable write needs the size up front");
        }
        makeDirectories(path.parent());
        checkPrecondition(path, hints, action);
        String id = newUpload(url(path, false), action);
        return new ChunkedWrite(id, path, hints, HashAlgorithm.SHA1.newDigest());
    }

    @Override
    public Optional<PartialWrite> resume(String token, WriteHints hints) throws IOException {
        int sep = token.indexOf(':');
        if (sep <= 0 || !token.substring(0, sep).matches("ferry-[0-9a-f]+")) {
            return Optional.empty();
        }
        SyncPath path;
        try {
            path = SyncPath.of(token.substring(sep + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String id = token.substring(0, sep);
        if (held(id).isEmpty()) {
            return Optional.empty();
        }
        // The chunks sent by an earlier process cannot be read back (GET gives 405): no SHA-1
        // of the whole unless the source knew it.
        return Optional.of(new ChunkedWrite(id, path, hints, null));
    }

    /** What an upload folder holds: its numbered chunks and their bytes. */
    private record Held(int chunks, long bytes) {}

    private Optional<Held> held(String id) throws IOException {
        String url = uploadUrl(id, null);
        String action = "read the upload folder " + id;
        return call(propfind(url, "1"), action, url, r -> {
            if (r.getStatusLine().getStatusCode() == 404) {
                return Optional.<Held>empty();
            }
            expect(r, action, url, 207);
            int[] chunks = {0};
            long[] bytes = {0};
            Multistatus.parse(r.getEntity().getContent(), resp -> {
                Optional<List<String>> segs = DavPaths.hrefSegments(resp.href());
                if (segs.isPresent() && !resp.collection() && resp.status() == 200
                        && segs.get().get(segs.get().size() - 1).matches("\\d{1,5}")) {
                    chunks[0]++;
                    bytes[0] += Math.max(0, resp.length());
                }
            });
            return Optional.of(new Held(chunks[0], bytes[0]));
        });
    }

    /** One Nextcloud chunked upload, continued across processes by its token. */
    private final class ChunkedWrite implements PartialWrite {
        private final String id;
        private final SyncPath path;
        private final WriteHints hints;
        private final String dest;
        private final String action;
        /** SHA-1 of everything sent, while every chunk so far went through this object. */
        private MessageDigest sha1;

        ChunkedWrite(String id, SyncPath path, WriteHints hints, MessageDigest sha1) {
            this.id = id;
            this.path = path;
            this.hints = hints;
            this.sha1 = sha1;
            this.dest = url(path, false);
            this.action = "write " + where(path);
        }

        @Override
        public String token() {
            return id + ":" + path;
        }

        private Held heldNow() throws IOException {
            return held(id).orElseThrow(() -> new NotFoundException("cannot " + action
                    + ": the upload folder " + id + " is gone (finished, aborted or expired)"));
        }

        @Override
        public long committedBytes() throws IOException {
            return heldNow().bytes();
        }

        @Override
        public void append(InputStream content) throws IOException {
            Held h = heldNow();
            try {
                sendChunks(id, dest, hints.size(), content, h.chunks(), h.bytes(), sha1, action);
            } catch (IOException | RuntimeException e) {
                sha1 = null; // a failed chunk fed the digest bytes the server does not hold
                throw e;
            }
        }

        @Override
        public Entry complete() throws IOException {
            Held h = heldNow();
            if (h.bytes() != hints.size()) {
                throw new PermanentSyncException("cannot " + action + ": the server holds " + h.bytes()
                        + " bytes of the " + hints.size() + " announced; nothing was published");
            }
            String sum = sha1 != null ? HashAlgorithm.hex(sha1.digest())
                    : hints.hashes().get(HashAlgorithm.SHA1);
            HttpResponseInfo info = assemble(id, path, h.bytes(), hints, sum, action);
            return afterNextcloudWrite(path, hints, info, action);
        }

        @Override
        public void abort() throws IOException {
            String url = uploadUrl(id, null);
            call(new HttpDelete(url), "abort " + action, url, r -> expect(r, "abort " + action, url, 200, 204, 404));
        }
    }

    // ---------------------------------------------------------------- the rest

    @Override
    public Entry setModTime(SyncPath path, Instant modTime) throws IOException {
        String url = url(path, false);
        String action = "set the time of " + where(path);
        HttpPropPatch patch = new HttpPropPatch(url);
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                + "<d:propertyupdate xmlns:d=\"DAV:\"><d:set><d:prop><d:lastmodified>" + modTime.getEpochSecond()
                + "</d:lastmodified></d:prop></d:set></d:propertyupdate>";
        patch.setEntity(new StringEntity(body, ContentType.create("application/xml", StandardCharsets.UTF_8)));
        // A 207 does not mean success: the propstat for the property says.
        boolean ok = call(patch, action, url, r -> {
            expect(r, action, url, 207);
            int[] status = {0};
            PropStatus.read(r.getEntity().getContent(), status);
            return status[0] == 200;
        });
        if (!ok) {
            throw new PermanentSyncException("cannot " + action + ": the server refused to change lastmodified");
        }
        return storedEntry(path, action);
    }

    @Override
    public void delete(SyncPath path) throws IOException {
        if (path.isRoot()) {
            throw new PermanentSyncException("refusing to delete the root of " + description());
        }
        // DELETE of a collection is always recursive in WebDAV: look first, so only an empty
        // directory goes.
        Optional<Entry> e = stat(path);
        if (e.isEmpty()) {
            return;
        }
        String action = "delete " + where(path);
        if (e.get().isDirectory()) {
            boolean[] hasChild = {false};
            list(path, new ListingSink() {
                @Override
                public void entry(Entry entry) {
                    hasChild[0] = true;
                }

                @Override
                public void notice(ListingNotice notice) {
                    hasChild[0] = true;
                }
            });
            if (hasChild[0]) {
                throw new PermanentSyncException("cannot " + action + ": the directory is not empty");
            }
        }
        String url = url(path, e.get().isDirectory());
        call(new HttpDelete(url), action, url, r -> expect(r, action, url, 200, 204, 404));
        if (e.get().isDirectory()) {
            knownDirs.removeIf(d -> d.startsWith(url));
        }
    }

    @Override
    public void makeDirectories(SyncPath directory) throws IOException {
        mkcol(directory, 0);
    }

    private void mkcol(SyncPath dir, int depth) throws IOException {
        String url = url(dir, true);
        if (knownDirs.contains(url)) {
            return;
        }
        // Parallel writers into one new directory: one MKCOL, the others wait for it (servers
        // answer the losers of a race with 403 on Apache, 423 on x/net/webdav). One lock object
        // per directory, kept like knownDirs.
        synchronized (creating.computeIfAbsent(url, u -> new Object())) {
            mkcolLocked(dir, url, depth);
        }
    }

    private void mkcolLocked(SyncPath dir, String url, int depth) throws IOException {
        if (knownDirs.contains(url)) {
            return;
        }
        String action = "create directory " + where(dir);
        int code = mkcolOnce(dir, url, action);
        if (code == 409 || code == 404) {
            // A parent is missing (409 on Apache and Nextcloud, 404 on rclone): create it first.
            if (dir.isRoot() || depth > 64) {
                throw new NotFoundException("cannot " + action + ": the server has no parent collection for it (" + code + ")");
            }
            mkcol(dir.parent(), depth + 1);
            code = mkcolOnce(dir, url, action);
        }
        if (code == 405 || code == 301) {
            // Something is there already (rclone answers 201 instead): it must be a directory.
            Optional<Entry> e = stat(dir);
            if (e.isEmpty() || !e.get().isDirectory()) {
                throw new PermanentSyncException("cannot " + action + ": a file is in the way");
            }
        } else if (code / 100 != 2) {
            throw new NotFoundException("cannot " + action + ": the server has no parent collection for it (" + code + ")");
        }
        knownDirs.add(url);
    }

    /** One MKCOL: its status where it says something about the path, else the mapped failure. */
    private int mkcolOnce(SyncPath dir, String url, String action) throws IOException {
        try {
            return call(new HttpMkCol(url), action, url, r -> {
                int c = r.getStatusLine().getStatusCode();
                if (c / 100 == 2 || c == 301 || c == 404 || c == 405 || c == 409) {
                    return c;
                }
                throw WebDavErrors.status(r, action, url, options.user());
            });
        } catch (PermanentSyncException | TransientSyncException e) {
            // Another client creating the same directory: Apache answers the loser 403, x/net/webdav 423.
            if (stat(dir).filter(Entry::isDirectory).isPresent()) {
                return 405;
            }
            throw e;
        }
    }

    @Override
    public Entry copy(SyncPath from, SyncPath to) throws IOException {
        String action = "copy " + where(from) + " to " + to;
        Entry src = stat(from).filter(Entry::isFile)
                .orElseThrow(() -> new NotFoundException("cannot " + action + ": no such file"));
        makeDirectories(to.parent());
        HttpCopy copy = new HttpCopy(url(from, false), url(to, false), true);
        copy.setHeader("Depth", "0");
        call(copy, action, url(from, false), r -> expect(r, action, url(from, false), 201, 204));
        Entry copied = storedEntry(to, action);
        // A copy's mtime is not guaranteed (Nextcloud): put the source's back where times are kept.
        if (capabilities().keepsModTime() && src.modTime().isPresent() && !src.modTime().equals(copied.modTime())
                && options.kind() == WebDavOptions.Kind.NEXTCLOUD) {
            return setModTime(to, src.modTime().get());
        }
        return copied;
    }

    @Override
    public Entry move(SyncPath from, SyncPath to) throws IOException {
        String action = "move " + where(from) + " to " + to;
        Entry src = stat(from).orElseThrow(() -> new NotFoundException("cannot " + action + ": nothing is there"));
        makeDirectories(to.parent());
        String fromUrl = url(from, src.isDirectory());
        HttpMove move = new HttpMove(fromUrl, url(to, src.isDirectory()), true);
        call(move, action, fromUrl, r -> expect(r, action, fromUrl, 201, 204));
        if (src.isDirectory()) {
            knownDirs.removeIf(d -> d.startsWith(fromUrl));
        }
        return storedEntry(to, action);
    }

    @Override
    public void close() throws IOException {
        listers.shutdownNow();
        client.shutdown();
    }

    /** Reads the status of the one property a PROPPATCH set. */
    private static final class PropStatus {
        static void read(InputStream in, int[] status) throws IOException {
            byte[] all = in.readNBytes(1 << 16);
            // Reuse the multistatus reader: a PROPPATCH answer has one response with one propstat.
            String xml = new String(all, StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("<(?:\\w+:)?status>\\s*HTTP/\\d\\.\\d\\s+(\\d{3})").matcher(xml);
            status[0] = m.find() ? Integer.parseInt(m.group(1)) : 0;
        }
    }
}
