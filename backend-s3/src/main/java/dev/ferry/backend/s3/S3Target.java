package dev.ferry.backend.s3;

import dev.ferry.api.Capabilities;
import dev.ferry.api.DescribedReader;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.Hasher;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.ModTimeSetter;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.RecursiveLister;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.ServerSideCopy;
import dev.ferry.api.ServerSideMove;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.TransientSyncException;
import dev.ferry.api.WantsHashes;
import dev.ferry.api.WriteHints;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListPartsRequest;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * A bucket, or a prefix in one, as a {@link SyncTarget}. Directories are implied by keys
 * ({@code a/b/c.txt} makes {@code a} and {@code a/b}); with the {@code directoryMarkers} option
 * an empty directory is a zero-byte {@code dir/} object. Modification times and content MD5
 * are kept in rclone's user metadata ({@code x-amz-meta-mtime}, {@code x-amz-meta-md5chksum}).
 * A listing does not carry the time (it costs a HEAD per object) unless the {@code listModTimes}
 * option asks; the engine stats the files it needs a time for, and a read tells it with the
 * content ({@link DescribedReader}).
 *
 * <p>Writes are atomic by S3's nature: a PutObject replaces the object in one go and a multipart
 * upload becomes visible only when completed; any failure aborts the upload, so no parts are
 * left behind. Content of up to {@code multipartCutoff} bytes (200 MiB, rclone's upload cutoff)
 * goes as one PutObject: streamed from the source when its MD5 is known before sending (the
 * engine asks the source for it, {@link WantsHashes}), else buffered and hashed, but only up to
 * {@code bufferLimit} (16 MiB). Anything else goes in parts of {@code partSize}, uploaded in
 * parallel, with at most {@code uploadConcurrency} part buffers held at once across the target. Every PutObject
 * and UploadPart goes with its {@code Content-MD5}, which the store checks, and with an unsigned
 * payload, on http endpoints too ({@link ContentMd5AuthScheme}): the signed MD5 keeps the body
 * from being changed on the way without a SHA-256 of every byte.
 *
 * <p>Large files survive the death of the writer ({@link ResumableWriter}): the engine journals
 * the multipart upload's id, and the next process asks the store which parts it holds
 * (ListParts) and sends only the rest. Uploads nobody came back for are aborted at the first
 * write once older than {@code incompleteUploadMaxAge}.
 *
 * <p>The SDK does not retry by itself (but for a dead pooled connection, before anything was
 * sent): a failure reaches the engine, which retries with backoff and counts, so the delays of
 * two retry layers never multiply and the report shows every retry.
 */
public final class S3Target implements SyncTarget, ServerSideCopy, ServerSideMove, ModTimeSetter, Hasher,
        RecursiveLister, ResumableWriter, WantsHashes, DescribedReader {

    private static final Duration TIME_OF_UPLOAD_PRECISION = Duration.ofSeconds(1);

    private final S3Client client;
    private final String bucket;
    private final String prefix;
    private final S3TargetOptions options;
    private final String where;
    private final ExecutorService workers;
    private final PartBuffers partBuffers;
    private final Capabilities capabilities;

    private S3Target(S3Client client, String bucket, String prefix, S3TargetOptions options) {
        this.client = client;
        this.bucket = bucket;
        this.prefix = prefix;
        this.options = options;
        this.where = "s3://" + bucket + "/" + prefix + " at " + options.endpoint().map(URI::toString).orElse("AWS");
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ferry-s3-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.partBuffers = new PartBuffers(options.uploadConcurrency(), options.partSize());
        this.capabilities = Capabilities.builder()
                .keepsModTime(true)
                .modTimePrecision(Duration.ofNanos(1))
                .hashes(Set.of(HashAlgorithm.MD5))
                .caseSensitive(true)
                .maxNameLength(0) // S3 limits whole keys (1024 bytes), not names
                .conditionalWrites(options.conditionalWritesHonoured())
                // A time is in each object's metadata: a HEAD per file, unless the option asks for it.
                .listsModTimes(options.listModTimes())
                .build();
    }

    /**
     * Builds the client and checks the bucket is there and the credentials are accepted.
     *
     * @param prefix empty, or the key prefix ending with {@code /}
     */
    static S3Target open(String bucket, String prefix, S3TargetOptions options) throws IOException {
        S3Client client = buildClient(options);
        S3Target t = new S3Target(client, bucket, prefix, options);
        try {
            client.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            t.close();
            throw new NotFoundException("bucket '" + bucket + "' does not exist at "
                    + options.endpoint().map(URI::toString).orElse("AWS"), e);
        } catch (S3Exception e) {
            t.close();
            if (e.statusCode() == 404) {
                throw new NotFoundException("bucket '" + bucket + "' does not exist at "
                        + options.endpoint().map(URI::toString).orElse("AWS"), e);
            }
            if (e.statusCode() == 403) {
                throw new dev.ferry.api.AuthenticationException("access to bucket '" + bucket + "' at "
                        + options.endpoint().map(URI::toString).orElse("AWS") + " refused (403): check accessKey "
                        + options.accessKey().orElse("(default credential chain)") + " and its secret", e);
            }
            throw S3Errors.map(e, "open", t.where);
        } catch (RuntimeException e) {
            t.close();
            throw S3Errors.map(e, "open", t.where);
        }
        return t;
    }

    static S3Client buildClient(S3TargetOptions o) {
        AwsCredentialsProvider credentials = o.accessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(o.accessKey().get(), o.secretKey().orElseThrow()))
                : DefaultCredentialsProvider.create();
        Region region = o.region().map(Region::of).orElseGet(() -> {
            if (o.endpoint().isPresent()) {
                return Region.US_EAST_1;
            }
            try {
                return new DefaultAwsRegionProviderChain().getRegion();
            } catch (SdkException e) {
                return Region.US_EAST_1;
            }
        });
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(Math.max(64, o.uploadConcurrency() * 4))
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60))
                        .tcpKeepAlive(true))
                .region(region)
                .credentialsProvider(credentials)
                // The engine hashes what it reads and checks it against the listed MD5: the SDK need not too.
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(o.pathStyle())
                        .checksumValidationEnabled(false).build())
                .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.standardStrategyBuilder()
                        // Only a request that met a dead pooled keep-alive connection before its
                        // body went out is sent again, once and at once; every other failure (503
                        // SlowDown, a cut mid-part, timeouts) goes to the engine, which retries with
                        // backoff, resumes from the parts held and counts: one retry layer, so the
                        // delays do not multiply and the report shows what the user waited for.
                        .useClientDefaults(false)
                        .maxAttempts(2)
                        .retryOnException(S3Target::isDeadConnection)
                        .backoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.retryImmediately())
                        .circuitBreakerEnabled(false)
                        .build()))
                // PutObject and UploadPart go with Content-MD5 and an unsigned payload, on http too.
                .putAuthScheme(new ContentMd5AuthScheme());
        o.endpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    /**
     * Whether a request failed on a pooled keep-alive connection the server had already closed
     * (S3Proxy closes one after answering 412 without reading the body), before any of its body
     * went out: nothing of it reached the server, so the SDK sends it again at once on a new
     * connection, which the user would not call a retry. A connection that breaks while the body
     * is being sent (a network cut mid-part) is not this: it goes to the engine, which backs off
     * and counts it in the report. Told apart by where Apache HttpClient failed (its
     * {@code sendRequestEntity} streams the body); a client whose frames are not recognised
     * leaves every failure to the engine, the safe side.
     */
    static boolean isDeadConnection(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getClass().getSimpleName().equals("NoHttpResponseException")) {
                return true;
            }
            if (c instanceof java.net.SocketException && String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT)
                    .matches(".*(broken pipe|connection reset|socket closed).*")) {
                boolean sendingRequest = false;
                for (StackTraceElement f : c.getStackTrace()) {
                    if (f.getMethodName().equals("sendRequestEntity")) {
                        return false;
                    }
                    sendingRequest |= f.getMethodName().equals("doSendRequest");
                }
                return sendingRequest;
            }
        }
        return false;
    }

    /** The client, for tests. */
    S3Client client() {
        return client;
    }

    String bucket() {
        return bucket;
    }

    String key(SyncPath path) {
        return prefix + path;
    }

    private String dirPrefix(SyncPath dir) {
        return dir.isRoot() ? prefix : prefix + dir + "/";
    }

    private String at(SyncPath path) {
        return (path.isRoot() ? "the root" : "'" + path + "'") + " in " + where;
    }

    @Override
    public String description() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public String toString() {
        return "S3Target[" + description() + ", " + options + "]";
    }

    // ------------------------------------------------------------------ listing

    @Override
    public void list(SyncPath directory, ListingSink sink) throws IOException {
        String listPrefix = dirPrefix(directory);
        String token = null;
        boolean any = false;
        Set<String> dirsSeen = new HashSet<>();
        do {
            ListObjectsV2Response page = listPage(listPrefix, "/", token, directory);
            List<Entry> files = new ArrayList<>();
            for (CommonPrefix cp : page.commonPrefixes()) {
                any = true;
                String name = cp.prefix().substring(listPrefix.length());
                name = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
                emitDirectory(directory, name, dirsSeen, sink);
            }
            for (S3Object o : page.contents()) {
                String name = o.key().substring(listPrefix.length());
                if (name.isEmpty()) {
                    any = true; // the directory's own marker: it exists, maybe empty
                    continue;
                }
                any = true;
                if (name.endsWith("/")) {
                    emitDirectory(directory, name.substring(0, name.length() - 1), dirsSeen, sink);
                    continue;
                }
                SyncPath p;
                try {
                    p = directory.child(name);
                } catch (IllegalArgumentException e) {
                    sink.notice(ListingNotice.hostileName(directory, name, e.getMessage()));
                    continue;
                }
                files.add(listedFile(p, o));
            }
            emitFiles(files, sink);
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        if (!any && !directory.isRoot() && !markerExists(directory)) {
            throw new NotFoundException("cannot list " + at(directory) + ": no such directory");
        }
    }

    /** Whether an empty directory's {@code dir/} marker is there (some stores don't list it under its own prefix). */
    private boolean markerExists(SyncPath directory) throws IOException {
        try {
            client.headObject(r -> r.bucket(bucket).key(dirPrefix(directory)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw S3Errors.map(e, "list", at(directory));
        } catch (SdkException e) {
            throw S3Errors.map(e, "list", at(directory));
        }
    }

    @Override
    public void listRecursive(SyncPath directory, ListingSink sink) throws IOException {
        String listPrefix = dirPrefix(directory);
        String token = null;
        boolean any = false;
        Set<SyncPath> dirsSeen = new HashSet<>();
        do {
            ListObjectsV2Response page = listPage(listPrefix, null, token, directory);
            List<Entry> files = new ArrayList<>();
            for (S3Object o : page.contents()) {
                any = true;
                String rel = o.key().substring(listPrefix.length());
                if (rel.isEmpty()) {
                    continue;
                }
                boolean isDir = rel.endsWith("/");
                String clean = isDir ? rel.substring(0, rel.length() - 1) : rel;
                SyncPath p;
                try {
                    p = directory.resolve(SyncPath.of(clean));
                } catch (IllegalArgumentException e) {
                    sink.notice(ListingNotice.hostileName(directory, rel, e.getMessage()));
                    continue;
                }
                for (SyncPath d = isDir ? p : p.parent(); d != null && !d.equals(directory) && dirsSeen.add(d);
                        d = d.parent()) {
                    sink.entry(Entry.directory(d).build());
                }
                if (!isDir) {
                    files.add(listedFile(p, o));
                }
            }
            emitFiles(files, sink);
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        if (!any && !directory.isRoot()) {
            throw new NotFoundException("cannot list " + at(directory) + ": no such directory");
        }
    }

    private ListObjectsV2Response listPage(String listPrefix, String delimiter, String token, SyncPath dir)
            throws IOException {
        try {
            return client.listObjectsV2(ListObjectsV2Request.builder().bucket(bucket)
                    .prefix(listPrefix.isEmpty() ? null : listPrefix).delimiter(delimiter)
                    .maxKeys(options.listChunk()).continuationToken(token).build());
        } catch (SdkException e) {
            throw S3Errors.map(e, "list", at(dir));
        }
    }

    private static void emitDirectory(SyncPath directory, String name, Set<String> seen, ListingSink sink)
            throws IOException {
        if (!seen.add(name)) {
            return;
        }
        try {
            sink.entry(Entry.directory(directory.child(name)).build());
        } catch (IllegalArgumentException e) {
            sink.notice(ListingNotice.hostileName(directory, name + "/", e.getMessage()));
        }
    }

    /** A file as a listing shows it: size, a single-part ETag as MD5, no time (that needs a HEAD). */
    private Entry listedFile(SyncPath p, S3Object o) {
        Entry.Builder b = Entry.file(p, o.size() == null ? 0 : o.size()).version(o.eTag());
        if (etagIsMd5()) {
            RcloneMeta.md5OfEtag(o.eTag()).ifPresent(h -> b.hash(HashAlgorithm.MD5, h));
        }
        return b.build();
    }

    /** Passes a page's files on, with their stored times read in parallel if the option asks. */
    private void emitFiles(List<Entry> files, ListingSink sink) throws IOException {
        if (!options.listModTimes() || files.isEmpty()) {
            for (Entry e : files) {
                sink.entry(e);
            }
            return;
        }
        int parallel = Math.min(16, files.size());
        List<Future<Optional<Entry>>> heads = new ArrayList<>(files.size());
        Semaphore slots = new Semaphore(parallel);
        try {
            for (Entry e : files) {
                slots.acquire();
                heads.add(workers.submit(() -> {
                    try {
                        return stat(e.path());
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (int i = 0; i < files.size(); i++) {
                Optional<Entry> full = await(heads.get(i), "stat", files.get(i).path());
                // Gone since the listing page: leave it out, as a later listing would.
                if (full.isPresent() && full.get().isFile()) {
                    sink.entry(full.get());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while listing");
        } finally {
            heads.forEach(f -> f.cancel(true));
        }
    }

    private boolean etagIsMd5() {
        return options.sse().map(s -> !s.toLowerCase(java.util.Locale.ROOT).contains("kms")).orElse(true);
    }

    // ------------------------------------------------------------------ stat and read

    @Override
    public Optional<Entry> stat(SyncPath path) throws IOException {
        if (path.isRoot()) {
            return Optional.of(Entry.directory(path).build());
        }
        try {
            HeadObjectResponse h = client.headObject(r -> r.bucket(bucket).key(key(path)));
            return Optional.of(fileEntry(path, h.contentLength(), h.metadata(), h.eTag(), h.lastModified()));
        } catch (NoSuchKeyException e) {
            // fall through: maybe a directory
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw S3Errors.map(e, "stat", at(path));
            }
        } catch (SdkException e) {
            throw S3Errors.map(e, "stat", at(path));
        }
        try {
            ListObjectsV2Response r = client.listObjectsV2(b -> b.bucket(bucket).prefix(dirPrefix(path)).maxKeys(1));
            boolean found = !r.contents().isEmpty() || !r.commonPrefixes().isEmpty()
                    || options.directoryMarkers() && markerExists(path);
            return found ? Optional.of(Entry.directory(path).build()) : Optional.empty();
        } catch (SdkException e) {
            throw S3Errors.map(e, "stat", at(path));
        }
    }

    private Entry fileEntry(SyncPath path, Long size, Map<String, String> metadata, String etag, Instant lastModified) {
        Map<String, String> meta = caseInsensitive(metadata);
        Entry.Builder b = Entry.file(path, size == null ? 0 : size).version(etag);
        Optional<Instant> mtime = RcloneMeta.parseTime(meta.get(RcloneMeta.MTIME));
        if (mtime.isPresent()) {
            b.modTime(mtime.get());
        } else if (lastModified != null) {
            b.modTime(lastModified).modTimePrecision(TIME_OF_UPLOAD_PRECISION);
        }
        Optional<String> md5 = RcloneMeta.md5Hex(meta.get(RcloneMeta.MD5));
        if (md5.isEmpty() && etagIsMd5()) {
            md5 = RcloneMeta.md5OfEtag(etag);
        }
        md5.ifPresent(h -> b.hash(HashAlgorithm.MD5, h));
        return b.build();
    }

    private static Map<String, String> caseInsensitive(Map<String, String> m) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (m != null) {
            out.putAll(m);
        }
        return out;
    }

    @Override
    public InputStream open(SyncPath path, long offset) throws IOException {
        ResponseInputStream<GetObjectResponse> in = get(path, offset);
        return in == null ? InputStream.nullInputStream() : new AbortingStream(in);
    }

    /**
     * One GET, and the file as its response describes it, built as {@link #stat} builds it from a
     * HEAD: the same headers come with both.
     */
    @Override
    public Read openDescribed(SyncPath path, long offset) throws IOException {
        ResponseInputStream<GetObjectResponse> in = get(path, offset);
        if (in == null) {
            // At or past the end: no body, no headers to tell the file by; a HEAD does.
            Entry e = stat(path).filter(Entry::isFile)
                    .orElseThrow(() -> new NotFoundException("cannot open " + at(path) + ": no such file"));
            return new Read(e, InputStream.nullInputStream());
        }
        GetObjectResponse r = in.response();
        long remaining = r.contentLength() == null ? 0 : r.contentLength();
        // The whole file's size: a ranged answer's Content-Range total (bytes 100-199/200),
        // else (no range asked, or a store that ignored it) the Content-Length.
        long size = r.contentRange() == null ? remaining
                : totalOfContentRange(r.contentRange()).orElse(offset + remaining);
        Entry e = fileEntry(path, size, r.metadata(), r.eTag(), r.lastModified());
        return new Read(e, new AbortingStream(in));
    }

    /** The total of a Content-Range ({@code bytes 100-199/200}); empty when absent or {@code *}. */
    static Optional<Long> totalOfContentRange(String contentRange) {
        int slash = contentRange.lastIndexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(contentRange.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * GETs a file from {@code offset} on; null when the offset is at or past its end (416). A
     * store that ignores the Range (200, no Content-Range) has the bytes before it skipped.
     */
    private ResponseInputStream<GetObjectResponse> get(SyncPath path, long offset) throws IOException {
        if (path.isRoot()) {
            throw new PermanentSyncException("cannot open the root of " + where + ": it is a directory");
        }
        GetObjectRequest.Builder req = GetObjectRequest.builder().bucket(bucket).key(key(path));
        if (offset > 0) {
            req.range("bytes=" + offset + "-");
        }
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = client.getObject(req.build());
        } catch (NoSuchKeyException e) {
            throw new NotFoundException("cannot open " + at(path) + ": no such file", e);
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                return null; // offset at or past the end
            }
            if (e.statusCode() == 404) {
                throw new NotFoundException("cannot open " + at(path) + ": no such file", e);
            }
            throw S3Errors.map(e, "open", at(path));
        } catch (SdkException e) {
            throw S3Errors.map(e, "open", at(path));
        }
        if (offset > 0 && in.response().contentRange() == null) {
            try {
                in.skipNBytes(offset);
            } catch (IOException | RuntimeException e) {
                in.abort();
                throw e instanceof IOException io ? io : S3Errors.map(e, "open", at(path));
            }
        }
        return in;
    }

    /** Aborts the connection when closed before the end, rather than reading the rest to reuse it. */
    private static final class AbortingStream extends FilterInputStream {
        private final ResponseInputStream<?> response;
        private boolean eof;

        AbortingStream(ResponseInputStream<?> response) {
            super(response);
            this.response = response;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            eof |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            eof |= n < 0;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (!eof) {
                response.abort();
            }
            super.close();
        }
    }

    // ------------------------------------------------------------------ writes

    /**
     * Three ways, by size and by whether the content's MD5 is known before sending:
     *
     * <ul>
     * <li>up to {@code multipartCutoff} with an MD5 in the hints: one PUT streamed from
     *     {@code content}, the MD5 as its Content-MD5 (nothing buffered, nothing hashed here; the
     *     store checks the body against it);
     * <li>up to {@code bufferLimit} (and the cutoff) without one: buffered, hashed, one PUT;
     * <li>anything else (and content of unknown size that turns out larger than the buffer
     *     limit): a multipart upload, parts from the pool.
     * </ul>
     */
    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        if (path.isRoot()) {
            throw new PermanentSyncException("cannot write the root of " + where);
        }
        sweepAbandonedUploadsOnce();
        long size = hints.size();
        Optional<byte[]> md5 = hintedMd5(hints);
        if (size > 0 && size <= options.multipartCutoff() && md5.isPresent()) {
            return putStreamed(path, content, size, md5.get(), hints);
        }
        long limit = bufferedLimit();
        if (size >= 0 && size <= limit) {
            byte[] buf = new byte[(int) size];
            int n = content.readNBytes(buf, 0, buf.length);
            if (n < size) {
                throw new PermanentSyncException("cannot write " + at(path) + ": the content ended after " + n
                        + " bytes of the " + size + " announced");
            }
            if (content.read() >= 0) {
                throw new PermanentSyncException("cannot write " + at(path) + ": the content is longer than the "
                        + size + " bytes announced");
            }
            return putSingle(path, buf, n, hints);
        }
        if (size < 0) {
            byte[] buf = new byte[(int) limit + 1];
            int n = content.readNBytes(buf, 0, buf.length);
            if (n <= limit) {
                return putSingle(path, buf, n, hints);
            }
            return putMultipart(path, new SequenceInputStream(new ByteArrayInputStream(buf, 0, n), content), hints);
        }
        return putMultipart(path, content, hints);
    }

    /**
     * MD5 for every size above the buffer limit: a file up to {@code multipartCutoff} then goes as
     * one streamed PUT with it as its Content-MD5, a larger one as a multipart upload with it as
     * rclone's md5chksum (its ETag is no MD5, and the metadata is fixed when the upload starts).
     * Up to the buffer limit the target hashes the buffered bytes itself.
     */
    @Override
    public Set<HashAlgorithm> hashesWanted(long size) {
        return size > bufferedLimit() ? Set.of(HashAlgorithm.MD5) : Set.of();
    }

    /**
     * {@code multipartCutoff + 1}: a file up to the cutoff goes as one PUT through {@link #write},
     * which cannot be continued after a crash but costs one request and no extra pass (streamed,
     * with the MD5 the engine asked the source for); a larger one as a multipart upload that can.
     */
    @Override
    public long minimumResumableSize() {
        return options.multipartCutoff() + 1;
    }

    /**
     * The most content buffered to be sent in one PUT when its MD5 is not known before sending:
     * {@code bufferLimit}, but never more than the multipart cutoff.
     */
    private long bufferedLimit() {
        return Math.min(options.bufferLimit(), options.multipartCutoff());
    }

    /** The MD5 in the hints as its 16 bytes, if there is one and it is well formed. */
    private static Optional<byte[]> hintedMd5(WriteHints hints) {
        String hex = hints.hashes().get(HashAlgorithm.MD5);
        if (hex == null || !hex.matches("[0-9a-fA-F]{32}")) {
            return Optional.empty();
        }
        return Optional.of(java.util.HexFormat.of().parseHex(hex));
    }

    private Map<String, String> metadataFor(WriteHints hints, Optional<String> md5Hex) {
        Map<String, String> meta = new HashMap<>();
        hints.modTime().ifPresent(t -> meta.put(RcloneMeta.MTIME, RcloneMeta.formatTime(t)));
        md5Hex.ifPresent(h -> meta.put(RcloneMeta.MD5, RcloneMeta.md5Base64(h)));
        return meta;
    }

    /**
     * The one way a PutObject of a file is built, buffered or streamed: its length and
     * Content-MD5, rclone's mtime (and md5chksum only where the ETag is no MD5: SSE-KMS), the
     * storage class, the encryption, and the write's precondition.
     */
    private PutObjectRequest putRequest(SyncPath path, long length, byte[] md5, WriteHints hints) {
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(bucket).key(key(path))
                .contentLength(length)
                .contentMD5(Base64.getEncoder().encodeToString(md5))
                .metadata(metadataFor(hints, etagIsMd5() ? Optional.empty() : Optional.of(HashAlgorithm.hex(md5))));
        options.storageClass().ifPresent(req::storageClass);
        options.sse().ifPresent(req::serverSideEncryption);
        WriteHints.Precondition pre = hints.precondition();
        if (pre.mustBeAbsent()) {
            req.ifNoneMatch("*");
        }
        pre.expectedVersion().ifPresent(req::ifMatch);
        return req.build();
    }

    private Entry putSingle(SyncPath path, byte[] buf, int len, WriteHints hints) throws IOException {
        byte[] digest = md5(buf, len);
        try {
            PutObjectResponse r = client.putObject(putRequest(path, len, digest, hints),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, len), len,
                            "application/octet-stream"));
            return written(path, len, hints, HashAlgorithm.hex(digest), r.eTag());
        } catch (SdkException e) {
            throw S3Errors.map(e, "write", at(path));
        }
    }

    /**
     * One PUT whose body is read straight from {@code content} as the HTTP client sends it, with
     * the MD5 known before sending as its Content-MD5: no buffer and no pass over the bytes here.
     * The store checks the body against the MD5 and refuses a mismatch (400 BadDigest, transient:
     * a source changed since it was hashed, or a byte damaged on the way; the engine retries, and
     * asks the source for the hash again). Content shorter or longer than {@code size} fails the
     * request before its body is complete, so the store never takes it; a failure of the source
     * itself reaches the caller as it was thrown. See {@link StreamedBody} for the SDK's retry.
     */
    private Entry putStreamed(SyncPath path, InputStream content, long size, byte[] md5, WriteHints hints)
            throws IOException {
        StreamedBody body = new StreamedBody(content, size, at(path));
        try {
            PutObjectResponse r = client.putObject(putRequest(path, size, md5, hints),
                    RequestBody.fromContentProvider(body, size, "application/octet-stream"));
            body.checkWhole();
            return written(path, size, hints, HashAlgorithm.hex(md5), r.eTag());
        } catch (SdkException | java.io.UncheckedIOException e) {
            IOException own = body.failure();
            if (own != null) {
                own.addSuppressed(e);
                throw own;
            }
            throw S3Errors.map(e, "write", at(path));
        }
    }

    /**
     * The body of a streamed PUT, as the SDK asks for it ({@link #newStream()} per attempt): the
     * content itself, exactly {@code size} bytes of it. {@code RequestBody.fromInputStream} was
     * not used: on a stream without mark/reset (a file's) its "replay" for the SDK's second
     * attempt hands over the stream where the first attempt left it, which would send the rest of
     * the content as if it were the whole.
     *
     * <p>The SDK sends a request again only when it met a dead pooled connection (see
     * {@link #isDeadConnection}). The first {@value #REPLAYABLE} bytes taken from the content are
     * kept, so such a retry gets the whole body again from its start as long as no more was
     * taken: a small body always (as a buffered one would be sent again), a large one when the
     * connection failed before much of it went out. Otherwise the retry fails, and the attempt
     * goes to the engine, which reads the source afresh. (Apache HttpClient takes a connection
     * closed before {@code 100 Continue} came for "no answer yet" and sends the body into it, so
     * a large body may be well under way when the failure shows.)
     *
     * <p>Reads never go past {@code size}; content that ends before it, or still has bytes when
     * it is reached (checked before the last bytes are handed over), fails the read, so the HTTP
     * client aborts the request with its body incomplete and nothing is stored. The failure (or
     * one of the source's own) is kept for {@link #failure()}: the SDK wraps what the stream
     * throws.
     */
    static final class StreamedBody implements software.amazon.awssdk.http.ContentStreamProvider {
        /** The most of a body kept to be sent again: what the SDK's own mark/reset keeps, 128 KiB. */
        static final int REPLAYABLE = 128 << 10;

        private final InputStream content;
        private final long size;
        private final String what;
        private final InputStream stream = new Stream();
        /** The first bytes taken from the content, for a retry. */
        private final byte[] head;
        /** Bytes taken from the content. */
        private long taken;
        /** Bytes handed to the current attempt. */
        private long position;
        private volatile IOException failure;

        StreamedBody(InputStream content, long size, String what) {
            this.content = content;
            this.size = size;
            this.what = what;
            this.head = new byte[(int) Math.min(size, REPLAYABLE)];
        }

        @Override
        public synchronized InputStream newStream() {
            if (failure != null) {
                throw new java.io.UncheckedIOException(failure);
            }
            if (taken > head.length) {
                failure = new TransientSyncException("cannot write " + what + ": the request was to be sent again "
                        + "after " + taken + " bytes of its body had been read from a source that cannot be read "
                        + "again; nothing was published");
                throw new java.io.UncheckedIOException(failure);
            }
            position = 0;
            return stream;
        }

        /** What failed the body: the content's length, the source itself, or a replay; null if nothing did. */
        IOException failure() {
            return failure;
        }

        /** Bytes of the body handed to the current attempt. */
        synchronized long delivered() {
            return position;
        }

        /** After a PUT the store took: the whole content went (a client that stopped short would be a bug). */
        void checkWhole() throws IOException {
            if (delivered() != size) {
                throw new PermanentSyncException("cannot write " + what + ": " + delivered() + " bytes of the "
                        + size + " announced were sent");
            }
        }

        private IOException fail(IOException e) {
            failure = e;
            return e;
        }

        private final class Stream extends InputStream {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                synchronized (StreamedBody.this) {
                    long remaining = size - position;
                    if (remaining == 0) {
                        return -1;
                    }
                    if (len == 0) {
                        return 0;
                    }
                    if (position < taken) {
                        // Sent again: what the last attempt took, from the kept head.
                        int n = (int) Math.min(len, taken - position);
                        System.arraycopy(head, (int) position, b, off, n);
                        position += n;
                        return n;
                    }
                    int n;
                    try {
                        n = content.read(b, off, (int) Math.min(len, remaining));
                        if (n < 0) {
                            throw fail(new PermanentSyncException("cannot write " + what + ": the content ended after "
                                    + taken + " bytes of the " + size + " announced"));
                        }
                        if (n == remaining && content.read() >= 0) {
                            throw fail(new PermanentSyncException("cannot write " + what
                                    + ": the content is longer than the " + size + " bytes announced"));
                        }
                    } catch (IOException e) {
                        throw failure == e ? e : fail(e);
                    }
                    if (taken < head.length) {
                        System.arraycopy(b, off, head, (int) taken, (int) Math.min(n, head.length - taken));
                    }
                    taken += n;
                    position += n;
                    return n;
                }
            }

            @Override
            public int available() {
                return 0;
            }

            @Override
            public void close() {
                // The content belongs to the caller (the HTTP client closes the body it has sent).
            }
        }
    }

    private static Entry written(SyncPath path, long size, WriteHints hints, String md5, String etag) {
        Entry.Builder b = Entry.file(path, size).version(etag);
        if (md5 != null) {
            b.hash(HashAlgorithm.MD5, md5);
        }
        hints.modTime().ifPresent(b::modTime);
        return b.build();
    }

    /**
     * A multipart upload in one go (not resumable). Every part goes with its Content-MD5, which
     * the store checks. The whole content's MD5 is computed only when one was hinted: that hint
     * becomes the object's md5chksum when the upload starts, so it is checked against the bytes
     * actually sent before the upload is completed (a source changed since it was hashed must
     * not publish an object whose md5chksum lies). Without a hint the object has no MD5 anyone
     * could read back (a multipart ETag is none), so none is computed or returned: one pass over
     * the bytes fewer, and no check lost. The two digests are fed in the same pass, as each slice
     * is read.
     */
    private Entry putMultipart(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        String key = key(path);
        long expected = hints.size();
        String hinted = hints.hashes().get(HashAlgorithm.MD5);
        String uploadId = createUpload(path, hints);
        List<Future<CompletedPart>> parts = new ArrayList<>();
        boolean done = false;
        try {
            java.security.MessageDigest whole = hinted != null ? HashAlgorithm.MD5.newDigest() : null;
            long total = sendParts(path, key, uploadId, options.partSize(), 1, 0, content, expected, whole, parts);
            if (expected >= 0 && total != expected) {
                throw new PermanentSyncException("cannot write " + at(path) + ": the content ended after " + total
                        + " bytes of the " + expected + " announced");
            }
            String md5 = whole == null ? null : HashAlgorithm.hex(whole.digest());
            if (md5 != null && !md5.equalsIgnoreCase(hinted)) {
                // Retried by the engine, which hashes the source afresh for the next attempt.
                throw new TransientSyncException("cannot write " + at(path) + ": the MD5 of the content read is "
                        + md5 + ", not the " + hinted + " announced (changed while being sent?); nothing was published");
            }
            List<CompletedPart> completed = new ArrayList<>(parts.size());
            for (Future<CompletedPart> f : parts) {
                completed.add(await(f, "upload a part of", path));
            }
            String etag = completeUpload(path, key, uploadId, completed, hints);
            done = true;
            return written(path, total, hints, md5, etag);
        } finally {
            if (!done) {
                settle(parts);
                abort(key, uploadId);
            }
        }
    }

    /**
     * Starts a multipart upload at the final key with the metadata a finished object carries
     * (rclone's mtime, and md5chksum when the content's MD5 is known before sending, since the
     * multipart ETag is not one), the storage class and the encryption. Remembered as this
     * process's own until completed or aborted, so that the sweep of abandoned uploads spares it.
     */
    private String createUpload(SyncPath path, WriteHints hints) throws IOException {
        sweepAbandonedUploadsOnce();
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(bucket)
                .key(key(path)).contentType("application/octet-stream")
                .metadata(metadataFor(hints, Optional.ofNullable(hints.hashes().get(HashAlgorithm.MD5))));
        options.storageClass().ifPresent(create::storageClass);
        options.sse().ifPresent(create::serverSideEncryption);
        try {
            String uploadId = client.createMultipartUpload(create.build()).uploadId();
            OWN_UPLOADS.add(uploadId);
            return uploadId;
        } catch (SdkException e) {
            throw S3Errors.map(e, "start an upload of", at(path));
        }
    }

    /**
     * Reads {@code content} in parts of {@code partSize} and hands each to a worker, numbered
     * from {@code firstNumber}; at most {@code uploadConcurrency} part buffers are held across the
     * target. Returns once every part has been handed over (not finished: see {@code parts}).
     *
     * <p>Each part goes with its Content-MD5. With a whole-content {@code digest} the part's MD5
     * is fed in the same pass, slice by slice as it is read (while the slice is in cache);
     * without one, the worker that sends the part computes it, so parts are hashed in parallel.
     *
     * @param already bytes of the content before {@code content}, counted against {@code expected}
     * @param digest updated with every byte read, if given
     * @return {@code already} plus the bytes read
     */
    private long sendParts(SyncPath path, String key, String uploadId, int partSize, int firstNumber, long already,
            InputStream content, long expected, java.security.MessageDigest digest,
            List<Future<CompletedPart>> parts) throws IOException {
        long total = already;
        try {
            for (int number = firstNumber; ; number++) {
                failFast(parts, path);
                byte[] buf = partBuffers.take(partSize);
                boolean handedOver = false;
                try {
                    java.security.MessageDigest partDigest = digest == null ? null : HashAlgorithm.MD5.newDigest();
                    int n = readPart(content, buf, digest, partDigest);
                    // An empty content still needs one (empty) part to complete; further empty reads end it.
                    if (n == 0 && (number > 1 || already > 0)) {
                        break;
                    }
                    total += n;
                    if (expected >= 0 && total > expected) {
                        throw new PermanentSyncException("cannot write " + at(path)
                                + ": the content is longer than the " + expected + " bytes announced");
                    }
                    byte[] partMd5 = partDigest == null ? null : partDigest.digest();
                    int partNumber = number;
                    parts.add(workers.submit(() -> {
                        try {
                            return uploadPart(key, uploadId, partNumber, buf, n, partMd5 != null ? partMd5 : md5(buf, n));
                        } finally {
                            partBuffers.give(buf);
                        }
                    }));
                    handedOver = true;
                    if (n < partSize) {
                        break;
                    }
                } finally {
                    if (!handedOver) {
                        partBuffers.give(buf);
                    }
                }
            }
            return total;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading " + at(path));
        }
    }

    /**
     * The part buffers of a target: at most {@code uploadConcurrency} at once, and reused. Fresh
     * arrays per part made a 512 MiB upload 512 MiB of garbage, which a JVM with a large heap
     * keeps resident (peak RSS 540 MiB, measured); reused, the target holds at most
     * {@code uploadConcurrency × partSize} (128 MiB by default) until it is closed. A part size
     * other than the target's (a resumed upload begun with other options) gets its own array.
     */
    private static final class PartBuffers {
        private final int size;
        private final Semaphore permits;
        private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> free =
                new java.util.concurrent.ConcurrentLinkedQueue<>();

        PartBuffers(int count, int size) {
            this.size = size;
            this.permits = new Semaphore(count);
        }

        /** Waits for one of the permitted buffers. */
        byte[] take(int partSize) throws InterruptedException {
            permits.acquire();
            byte[] b = partSize == size ? free.poll() : null;
            return b != null ? b : new byte[partSize];
        }

        /** Hands a buffer back once nothing reads it any more. */
        void give(byte[] b) {
            if (b.length == size) {
                free.offer(b);
            }
            permits.release();
        }

        void clear() {
            free.clear();
        }
    }

    /** Bytes read at a time into a part buffer, and hashed at once while they are in cache. */
    private static final int SLICE = 256 << 10;

    /**
     * Fills {@code buf} from {@code content} (fewer bytes only at its end), feeding each slice to
     * the digests given as soon as it is read: one pass over the bytes for both.
     */
    private static int readPart(InputStream content, byte[] buf, java.security.MessageDigest whole,
            java.security.MessageDigest part) throws IOException {
        if (whole == null && part == null) {
            return content.readNBytes(buf, 0, buf.length);
        }
        int n = 0;
        while (n < buf.length) {
            int r = content.readNBytes(buf, n, Math.min(SLICE, buf.length - n));
            if (r == 0) {
                break;
            }
            if (whole != null) {
                whole.update(buf, n, r);
            }
            if (part != null) {
                part.update(buf, n, r);
            }
            n += r;
        }
        return n;
    }

    private static byte[] md5(byte[] buf, int len) {
        java.security.MessageDigest md = HashAlgorithm.MD5.newDigest();
        md.update(buf, 0, len);
        return md.digest();
    }

    /** Completes an upload with the hinted precondition, as a single PUT would honour it; returns the ETag. */
    private String completeUpload(SyncPath path, String key, String uploadId, List<CompletedPart> parts,
            WriteHints hints) throws IOException {
        CompleteMultipartUploadRequest.Builder complete = CompleteMultipartUploadRequest.builder()
                .bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build());
        WriteHints.Precondition pre = hints.precondition();
        if (pre.mustBeAbsent()) {
            complete.ifNoneMatch("*");
        }
        pre.expectedVersion().ifPresent(complete::ifMatch);
        try {
            String etag = client.completeMultipartUpload(complete.build()).eTag();
            OWN_UPLOADS.remove(uploadId);
            return etag;
        } catch (SdkException e) {
            throw S3Errors.map(e, "complete the upload of", at(path));
        }
    }

    /**
     * Sends one part with its Content-MD5: the store refuses a part whose bytes do not match it
     * (400 BadDigest), and the header is signed, so the payload itself need not be (see
     * {@link ContentMd5AuthScheme}).
     */
    private CompletedPart uploadPart(String key, String uploadId, int number, byte[] buf, int len, byte[] md5)
            throws IOException {
        try {
            String etag = client.uploadPart(UploadPartRequest.builder().bucket(bucket).key(key).uploadId(uploadId)
                            .partNumber(number).contentLength((long) len)
                            .contentMD5(Base64.getEncoder().encodeToString(md5)).build(),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, len), len,
                            "application/octet-stream")).eTag();
            return CompletedPart.builder().partNumber(number).eTag(etag).build();
        } catch (SdkException e) {
            throw S3Errors.map(e, "upload part " + number + " of", "'" + key + "' in s3://" + bucket + " at "
                    + options.endpoint().map(URI::toString).orElse("AWS"));
        }
    }

    /** Throws the first failure among the parts already finished, so a broken upload stops reading. */
    private void failFast(List<Future<CompletedPart>> parts, SyncPath path) throws IOException {
        for (Future<CompletedPart> f : parts) {
            if (f.isDone()) {
                await(f, "upload a part of", path);
            }
        }
    }

    private <T> T await(Future<T> f, String action, SyncPath path) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted: " + action + " " + at(path));
        } catch (CancellationException e) {
            throw new InterruptedIOException("cancelled: " + action + " " + at(path));
        } catch (ExecutionException e) {
            throw S3Errors.map(e.getCause(), action, at(path));
        }
    }

    /**
     * Waits until every part request already sent has ended, so that an abort is not overtaken
     * by a part arriving after it (a store would then keep that part). Parts are not cancelled:
     * a task cancelled before it ran would never give its buffer back.
     */
    private static void settle(List<? extends Future<?>> parts) {
        boolean interrupted = Thread.interrupted();
        for (Future<?> f : parts) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | CancellationException e) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Aborts an upload so no parts stay behind (and cost money); best effort. */
    private void abort(String key, String uploadId) {
        boolean interrupted = Thread.interrupted();
        OWN_UPLOADS.remove(uploadId);
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    client.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(key)
                            .uploadId(uploadId).build());
                    return;
                } catch (S3Exception e) {
                    if (e.statusCode() == 404) {
                        return;
                    }
                } catch (RuntimeException e) {
                    // retried below
                }
                try {
                    Thread.sleep(200L << attempt);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ resumable writes

    /**
     * Starts a write that a later process can continue: a multipart upload at the final key,
     * named by its upload id, key and part size; the parts the store holds are what survives. The
     * engine begins only files above {@link #minimumResumableSize()} (the multipart cutoff). A
     * caller that begins a smaller one still gets a multipart upload, but for content up to the
     * buffer limit (and the cutoff), which is buffered and sent as one PUT on
     * {@link PartialWrite#complete()}, as {@link #write} does without an MD5, so it keeps an MD5
     * ETag and a Content-MD5 check; {@link #resume} of such a token is empty.
     */
    @Override
    public PartialWrite begin(SyncPath path, WriteHints hints) throws IOException {
        if (path.isRoot()) {
            throw new PermanentSyncException("cannot write the root of " + where);
        }
        if (hints.size() >= 0 && hints.size() <= bufferedLimit()) {
            sweepAbandonedUploadsOnce();
            return new BufferedWrite(path, hints);
        }
        return new MultipartWrite(path, key(path), createUpload(path, hints), options.partSize(), hints);
    }

    @Override
    public Optional<PartialWrite> resume(String token, WriteHints hints) throws IOException {
        String[] f = token.split(":", -1);
        if (f.length != 4 || !f[0].equals(MULTIPART_TOKEN)) {
            return Optional.empty(); // a buffered write, or not ours: nothing survives to continue
        }
        int partSize;
        String uploadId = URLDecoder.decode(f[2], StandardCharsets.UTF_8);
        String key = URLDecoder.decode(f[3], StandardCharsets.UTF_8);
        SyncPath path;
        try {
            partSize = Integer.parseInt(f[1]);
            if (!key.startsWith(prefix) || partSize < S3TargetOptions.MIN_PART_SIZE) {
                return Optional.empty();
            }
            path = SyncPath.of(key.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        MultipartWrite w = new MultipartWrite(path, key, uploadId, partSize, hints);
        try {
            if (w.heldParts().isEmpty()) {
                // Nothing to continue from. Some stores (S3Proxy) answer ListParts of an upload
                // that no longer exists with an empty list instead of NoSuchUpload: starting
                // afresh is right either way, and the abort ends the upload if it does exist.
                abort(key, uploadId);
                return Optional.empty();
            }
        } catch (NotFoundException e) {
            return Optional.empty(); // completed, aborted or swept
        }
        OWN_UPLOADS.add(uploadId);
        return Optional.of(w);
    }

    private static final String MULTIPART_TOKEN = "s3-multipart";
    private static final String BUFFERED_TOKEN = "s3-buffered";

    /** A part the store holds for an upload. */
    private record HeldPart(int number, String etag, long size) {}

    /** A resumable multipart upload; what counts as written is what the store says it holds. */
    private final class MultipartWrite implements PartialWrite {
        private final SyncPath path;
        private final String key;
        private final String uploadId;
        private final int partSize;
        private final WriteHints hints;
        /** Parts this object sent, newer than a listing taken before they were. */
        private final Map<Integer, HeldPart> sent = new java.util.concurrent.ConcurrentHashMap<>();
        private long committed;
        /** Whether an append of this object read its content to the end: with no size hinted, the content is whole. */
        private boolean reachedEnd;

        MultipartWrite(SyncPath path, String key, String uploadId, int partSize, WriteHints hints) {
            this.path = path;
            this.key = key;
            this.uploadId = uploadId;
            this.partSize = partSize;
            this.hints = hints;
        }

        @Override
        public String token() {
            // The part size travels with the token: the numbering of the parts held depends on it.
            return MULTIPART_TOKEN + ":" + partSize + ":" + URLEncoder.encode(uploadId, StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(key, StandardCharsets.UTF_8);
        }

        /** Every part the store holds (ListParts, page by page), with this object's newer ones over them. */
        Map<Integer, HeldPart> heldParts() throws IOException {
            Map<Integer, HeldPart> held = new TreeMap<>();
            Integer marker = null;
            try {
                while (true) {
                    ListPartsResponse r = client.listParts(ListPartsRequest.builder().bucket(bucket).key(key)
                            .uploadId(uploadId).partNumberMarker(marker).build());
                    for (Part p : r.parts()) {
                        held.put(p.partNumber(), new HeldPart(p.partNumber(), p.eTag(), p.size() == null ? -1 : p.size()));
                    }
                    Integer next = r.nextPartNumberMarker();
                    if (!Boolean.TRUE.equals(r.isTruncated()) || next == null || next.equals(marker)) {
                        break;
                    }
                    marker = next;
                }
            } catch (NoSuchUploadException e) {
                throw new NotFoundException("the upload of " + at(path) + " is gone (completed, aborted or swept)", e);
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    throw new NotFoundException("the upload of " + at(path) + " is gone (completed, aborted or swept)", e);
                }
                throw S3Errors.map(e, "list the parts held for", at(path));
            } catch (SdkException e) {
                throw S3Errors.map(e, "list the parts held for", at(path));
            }
            held.putAll(sent);
            return held;
        }

        /**
         * The contiguous run of full parts from part 1, plus a short last part if it ends the
         * content exactly. Anything after a gap or a short part (parts still in flight when the
         * writer died finish in any order) is not counted: the next append starts at the end of
         * the run and sends those part numbers again, replacing what is there.
         */
        private List<HeldPart> contiguous(Map<Integer, HeldPart> held) {
            List<HeldPart> run = new ArrayList<>();
            long total = 0;
            for (int n = 1; held.containsKey(n); n++) {
                HeldPart p = held.get(n);
                if (p.size() == partSize && (hints.size() < 0 || total + partSize <= hints.size())) {
                    run.add(p);
                    total += partSize;
                } else {
                    if (p.size() >= 0 && p.size() < partSize && (hints.size() < 0 || total + p.size() == hints.size())) {
                        run.add(p);
                    }
                    break;
                }
            }
            return run;
        }

        private static long total(List<HeldPart> run) {
            return run.stream().mapToLong(HeldPart::size).sum();
        }

        @Override
        public long committedBytes() throws IOException {
            committed = total(contiguous(heldParts()));
            return committed;
        }

        @Override
        public void append(InputStream content) throws IOException {
            if (committed % partSize != 0) {
                // Only a short last part ends a run: the content is all there already.
                if (content.read() >= 0) {
                    throw new PermanentSyncException("cannot write " + at(path) + ": the content is longer than the "
                            + committed + " bytes announced");
                }
                reachedEnd = true;
                return;
            }
            List<Future<CompletedPart>> parts = new ArrayList<>();
            boolean done = false;
            try {
                long total = sendParts(path, key, uploadId, partSize, (int) (committed / partSize) + 1, committed,
                        content, hints.size(), null, parts);
                long bytes = committed;
                for (Future<CompletedPart> f : parts) {
                    CompletedPart p = await(f, "upload a part of", path);
                    long size = Math.min(partSize, total - (long) (p.partNumber() - 1) * partSize);
                    sent.put(p.partNumber(), new HeldPart(p.partNumber(), p.eTag(), size));
                    bytes += size;
                }
                committed = bytes;
                reachedEnd = true;
                done = true;
            } finally {
                if (!done) {
                    // No abort: the parts held stay for the next attempt, which asks the store what it has.
                    settle(parts);
                }
            }
        }

        @Override
        public Entry complete() throws IOException {
            Map<Integer, HeldPart> held = heldParts();
            List<HeldPart> run = contiguous(held);
            long total = total(run);
            boolean ends = !run.isEmpty() && (run.get(run.size() - 1).size() < partSize || reachedEnd);
            if (hints.size() >= 0 ? total != hints.size() : !ends) {
                throw new PermanentSyncException("cannot complete " + at(path) + ": the store holds " + total
                        + " contiguous bytes of the " + (hints.size() >= 0 ? hints.size() + " announced" : "content")
                        + "; nothing was published");
            }
            List<CompletedPart> parts = run.stream()
                    .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build()).toList();
            String etag = completeUpload(path, key, uploadId, parts, hints);
            // The hinted MD5 (now md5chksum) is not checked against the bytes here: the parts may
            // have been sent by several processes, and a whole-content MD5 would be one more pass
            // over every byte on top of the source's read for the hint and each part's MD5. Each
            // part itself was checked by the store against its Content-MD5.
            return written(path, total, hints, hints.hashes().get(HashAlgorithm.MD5), etag);
        }

        @Override
        public void abort() {
            S3Target.this.abort(key, uploadId);
        }
    }

    /** A "resumable" write up to the buffer limit: buffered, one PUT on completion. */
    private final class BufferedWrite implements PartialWrite {
        private final SyncPath path;
        private final WriteHints hints;
        private final String token;
        private byte[] buf;
        private int length;

        BufferedWrite(SyncPath path, WriteHints hints) {
            this.path = path;
            this.hints = hints;
            this.buf = new byte[(int) hints.size()];
            this.token = BUFFERED_TOKEN + ":" + URLEncoder.encode(key(path), StandardCharsets.UTF_8);
        }

        @Override
        public String token() {
            return token;
        }

        @Override
        public long committedBytes() {
            return length;
        }

        @Override
        public void append(InputStream content) throws IOException {
            length += content.readNBytes(buf, length, buf.length - length);
            if (content.read() >= 0) {
                throw new PermanentSyncException("cannot write " + at(path) + ": the content is longer than the "
                        + buf.length + " bytes announced");
            }
        }

        @Override
        public Entry complete() throws IOException {
            if (length != buf.length) {
                throw new PermanentSyncException("cannot complete " + at(path) + ": " + length + " bytes of the "
                        + buf.length + " announced were written; nothing was published");
            }
            return putSingle(path, buf, length, hints);
        }

        @Override
        public void abort() {
            buf = new byte[0];
            length = 0;
        }
    }

    // ------------------------------------------------------------------ abandoned uploads

    /** Uploads begun (or resumed) in this process and not yet ended: never swept, whatever their age. */
    private static final Set<String> OWN_UPLOADS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final java.util.concurrent.atomic.AtomicBoolean swept = new java.util.concurrent.atomic.AtomicBoolean();

    /** The clock ages are measured by; tests move it, since S3Proxy dates every upload "now". */
    private volatile java.time.Clock clock = java.time.Clock.systemUTC();

    void clock(java.time.Clock c) {
        this.clock = c;
    }

    /**
     * At the first write, aborts abandoned uploads once; best effort, since a store or a policy
     * may refuse ListMultipartUploads and that must not stop a sync.
     */
    private void sweepAbandonedUploadsOnce() {
        if (swept.compareAndSet(false, true)) {
            try {
                sweepAbandonedUploads(clock.instant().minus(options.incompleteUploadMaxAge()));
            } catch (IOException | RuntimeException e) {
                // left for the next target opened on this prefix
            }
        }
    }

    /**
     * Whether an upload listed as initiated at {@code initiated} is abandoned: older than the
     * cutoff, and not one this process is working on. An upload without a date is kept.
     */
    static boolean abandoned(Instant initiated, String uploadId, Instant cutoff) {
        return initiated != null && initiated.isBefore(cutoff) && !OWN_UPLOADS.contains(uploadId);
    }

    /**
     * Aborts the multipart uploads under this target's prefix initiated before {@code cutoff}
     * that this process did not begin: parts of a killed writer nobody resumed in time, which a
     * store keeps (and bills) forever. A younger one is kept for the next run to resume.
     *
     * @return how many were aborted
     */
    int sweepAbandonedUploads(Instant cutoff) throws IOException {
        int aborted = 0;
        String keyMarker = null;
        String idMarker = null;
        try {
            while (true) {
                ListMultipartUploadsResponse r = client.listMultipartUploads(ListMultipartUploadsRequest.builder()
                        .bucket(bucket).prefix(prefix.isEmpty() ? null : prefix).keyMarker(keyMarker)
                        .uploadIdMarker(idMarker).build());
                for (MultipartUpload u : r.uploads()) {
                    if (abandoned(u.initiated(), u.uploadId(), cutoff)) {
                        abort(u.key(), u.uploadId());
                        aborted++;
                    }
                }
                if (!Boolean.TRUE.equals(r.isTruncated()) || r.nextKeyMarker() == null
                        || r.nextKeyMarker().equals(keyMarker) && java.util.Objects.equals(r.nextUploadIdMarker(), idMarker)) {
                    return aborted;
                }
                keyMarker = r.nextKeyMarker();
                idMarker = r.nextUploadIdMarker();
            }
        } catch (SdkException e) {
            throw S3Errors.map(e, "list the unfinished uploads in", where);
        }
    }

    @Override
    public void delete(SyncPath path) throws IOException {
        if (path.isRoot()) {
            return;
        }
        try {
            client.deleteObject(r -> r.bucket(bucket).key(key(path)));
            if (options.directoryMarkers()) {
                client.deleteObject(r -> r.bucket(bucket).key(key(path) + "/"));
            }
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw S3Errors.map(e, "delete", at(path));
            }
        } catch (SdkException e) {
            throw S3Errors.map(e, "delete", at(path));
        }
    }

    @Override
    public void makeDirectories(SyncPath directory) throws IOException {
        if (!options.directoryMarkers() || directory.isRoot()) {
            return; // directories are implied by the keys below them
        }
        try {
            client.putObject(PutObjectRequest.builder().bucket(bucket).key(key(directory) + "/").contentLength(0L)
                            .contentMD5(Base64.getEncoder().encodeToString(md5(new byte[0], 0))).build(),
                    RequestBody.empty());
        } catch (SdkException e) {
            throw S3Errors.map(e, "create directory", at(directory));
        }
    }

    // ------------------------------------------------------------------ abilities

    @Override
    public Entry copy(SyncPath from, SyncPath to) throws IOException {
        Entry source = stat(from).filter(Entry::isFile)
                .orElseThrow(() -> new NotFoundException("cannot copy " + at(from) + ": no such file"));
        return serverCopy(from, to, source, null);
    }

    /**
     * Copies {@code from} onto {@code to} inside the bucket; with {@code newMeta} the metadata is
     * replaced (REPLACE), else kept. Multipart copy above {@code copyCutoff}.
     */
    private Entry serverCopy(SyncPath from, SyncPath to, Entry source, Map<String, String> newMeta) throws IOException {
        String src = key(from);
        String dst = key(to);
        try {
            if (source.size() <= options.copyCutoff()) {
                CopyObjectRequest.Builder req = CopyObjectRequest.builder().sourceBucket(bucket).sourceKey(src)
                        .destinationBucket(bucket).destinationKey(dst);
                if (newMeta != null) {
                    req.metadataDirective(MetadataDirective.REPLACE).metadata(newMeta).contentType("application/octet-stream");
                }
                options.storageClass().ifPresent(req::storageClass);
                options.sse().ifPresent(req::serverSideEncryption);
                CopyObjectResponse r = client.copyObject(req.build());
                String etag = r.copyObjectResult() == null ? null : r.copyObjectResult().eTag();
                return stat(to).filter(Entry::isFile).orElseGet(() -> source.withPath(to).toBuilder().version(etag)
                        .build()).toBuilder().path(to).build();
            }
            return multipartCopy(from, to, source, newMeta);
        } catch (NoSuchKeyException e) {
            throw new NotFoundException("cannot copy " + at(from) + ": no such file", e);
        } catch (SdkException e) {
            throw S3Errors.map(e, "copy " + at(from) + " to", "'" + to + "'");
        }
    }

    private Entry multipartCopy(SyncPath from, SyncPath to, Entry source, Map<String, String> newMeta)
            throws IOException {
        String src = key(from);
        String dst = key(to);
        Map<String, String> meta = newMeta;
        if (meta == null) {
            HeadObjectResponse h = client.headObject(r -> r.bucket(bucket).key(src));
            meta = h.metadata();
        }
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(bucket).key(dst)
                .contentType("application/octet-stream").metadata(meta);
        options.storageClass().ifPresent(create::storageClass);
        options.sse().ifPresent(create::serverSideEncryption);
        String uploadId = client.createMultipartUpload(create.build()).uploadId();
        OWN_UPLOADS.add(uploadId);
        boolean done = false;
        List<Future<CompletedPart>> parts = new ArrayList<>();
        try {
            long size = source.size();
            // Parts of at least 512 MiB (fewer requests), and never more than 10,000.
            long partSize = Math.max(Math.max(options.partSize(), 512L << 20), (size + 9_999) / 10_000);
            int number = 1;
            for (long start = 0; start < size; start += partSize, number++) {
                long end = Math.min(size, start + partSize) - 1;
                int n = number;
                long s = start;
                parts.add(workers.submit(() -> {
                    String etag = client.uploadPartCopy(UploadPartCopyRequest.builder().sourceBucket(bucket)
                            .sourceKey(src).destinationBucket(bucket).destinationKey(dst).uploadId(uploadId)
                            .partNumber(n).copySourceRange("bytes=" + s + "-" + end).build())
                            .copyPartResult().eTag();
                    return CompletedPart.builder().partNumber(n).eTag(etag).build();
                }));
            }
            List<CompletedPart> completed = new ArrayList<>();
            for (Future<CompletedPart> f : parts) {
                completed.add(await(f, "copy a part of", from));
            }
            client.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(bucket).key(dst)
                    .uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(completed).build())
                    .build());
            OWN_UPLOADS.remove(uploadId);
            done = true;
            return stat(to).filter(Entry::isFile).orElseThrow(() -> new TransientSyncException(
                    "copied " + at(from) + " to '" + to + "' but it is not there"));
        } finally {
            if (!done) {
                settle(parts);
                abort(dst, uploadId);
            }
        }
    }

    @Override
    public Entry move(SyncPath from, SyncPath to) throws IOException {
        Optional<Entry> source = stat(from);
        if (source.isEmpty()) {
            throw new NotFoundException("cannot move " + at(from) + ": nothing there");
        }
        if (source.get().isDirectory()) {
            throw new PermanentSyncException("cannot move " + at(from) + ": moving directories is not supported on S3");
        }
        Entry copied = serverCopy(from, to, source.get(), null);
        delete(from);
        return copied;
    }

    @Override
    public Entry setModTime(SyncPath path, Instant modTime) throws IOException {
        HeadObjectResponse h;
        try {
            h = client.headObject(r -> r.bucket(bucket).key(key(path)));
        } catch (NoSuchKeyException e) {
            throw new NotFoundException("cannot set the time of " + at(path) + ": no such file", e);
        } catch (SdkException e) {
            throw S3Errors.map(e, "set the time of", at(path));
        }
        Entry current = fileEntry(path, h.contentLength(), h.metadata(), h.eTag(), h.lastModified());
        Map<String, String> meta = new HashMap<>(h.metadata());
        meta.keySet().removeIf(k -> k.equalsIgnoreCase(RcloneMeta.MTIME));
        meta.put(RcloneMeta.MTIME, RcloneMeta.formatTime(modTime));
        // A copy onto itself re-computes a multipart ETag: keep the MD5 where only the ETag had it.
        if (current.hash(HashAlgorithm.MD5).isPresent() && meta.keySet().stream().noneMatch(k -> k.equalsIgnoreCase(RcloneMeta.MD5))
                && current.size() > options.copyCutoff()) {
            meta.put(RcloneMeta.MD5, RcloneMeta.md5Base64(current.hash(HashAlgorithm.MD5).get()));
        }
        return serverCopy(path, path, current, meta);
    }

    @Override
    public Optional<String> hash(SyncPath path, HashAlgorithm algorithm) throws IOException {
        if (algorithm != HashAlgorithm.MD5) {
            return Optional.empty();
        }
        return stat(path).filter(Entry::isFile).flatMap(e -> e.hash(HashAlgorithm.MD5));
    }

    @Override
    public void close() {
        workers.shutdownNow();
        partBuffers.clear();
        client.close();
    }
}
