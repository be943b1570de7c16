package dev.ferry.backend.s3;

import dev.ferry.backend.support.SpecOptions;
import dev.ferry.backend.support.TlsTrust;
import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code s3} scheme: {@code s3://bucket[/prefix]}. Unknown option names are refused, so a
 * misspelt option does not silently go without.
 */
public final class S3TargetProvider implements SyncTargetProvider {

    static final String ENDPOINT = "endpoint";
    static final String REGION = "region";
    static final String PATH_STYLE = "pathStyle";
    static final String ACCESS_KEY = "accessKey";
    static final String SECRET_KEY = "secretKey";
    static final String STORAGE_CLASS = "storageClass";
    static final String SSE = "sse";
    static final String MULTIPART_CUTOFF = "multipartCutoff";
    static final String BUFFER_LIMIT = "bufferLimit";
    static final String PART_SIZE = "partSize";
    static final String UPLOAD_CONCURRENCY = "uploadConcurrency";
    static final String COPY_CUTOFF = "copyCutoff";
    static final String DIRECTORY_MARKERS = "directoryMarkers";
    static final String CONDITIONAL_WRITES = "conditionalWrites";
    static final String LIST_MOD_TIMES = "listModTimes";
    static final String LIST_CHUNK = "listChunk";
    static final String INCOMPLETE_UPLOAD_MAX_AGE = "incompleteUploadMaxAge";

    private static final List<TargetOption> OPTIONS = List.of(
            TargetOption.of(ENDPOINT, "S3-compatible endpoint URL, e.g. http://127.0.0.1:9000 (default: AWS)"),
            TargetOption.of(REGION, "signing region (default: the SDK's region chain, else us-east-1)"),
            TargetOption.of(PATH_STYLE, "path-style addressing host/bucket/key (default: true with an endpoint)"),
            TargetOption.of(ACCESS_KEY, "access key id (default: env, profile, instance role)"),
            TargetOption.secret(SECRET_KEY, "secret access key, with accessKey"),
            TargetOption.of(STORAGE_CLASS, "storage class of new objects, e.g. STANDARD_IA"),
            TargetOption.of(SSE, "server-side encryption of new objects: AES256 or aws:kms"),
            TargetOption.of(MULTIPART_CUTOFF, "upload in parts above this size, in one PUT up to it, at most 5G "
                    + "(default 200M, rclone's --s3-upload-cutoff); a file whose MD5 is known is streamed into the PUT"),
            TargetOption.of(BUFFER_LIMIT, "the most content held in memory to send in one PUT when its MD5 is not "
                    + "known up front; larger such content goes in parts, at most 1G (default 16M)"),
            TargetOption.of(PART_SIZE, "multipart part size, at least 5M (default 16M)"),
            TargetOption.of(UPLOAD_CONCURRENCY, "parts uploaded at once (and part buffers held) across the target (default 8)"),
            TargetOption.of(COPY_CUTOFF, "server-side copies above this size use multipart copy (default 4G, at most 5G)"),
            TargetOption.of(DIRECTORY_MARKERS, "keep empty directories as zero-byte dir/ objects (default false)"),
            TargetOption.of(CONDITIONAL_WRITES, "store honours If-None-Match/If-Match atomically: auto, true, false (default auto: true on AWS)"),
            TargetOption.of(LIST_MOD_TIMES, "read each object's mtime while listing, a HEAD per object (default false: "
                    + "the engine stats only the files it needs a time for)"),
            TargetOption.of(LIST_CHUNK, "keys per listing request, 1-1000 (default 1000)"),
            TargetOption.of(INCOMPLETE_UPLOAD_MAX_AGE, "abort multipart uploads under the prefix left unfinished "
                    + "for longer than this, at the first write (default 24h)"),
            TlsTrust.OPTIONS.get(0), TlsTrust.OPTIONS.get(1));

    private static final Pattern SIZE = Pattern.compile("(\\d+)([bkmgt]?)(i?b?)");

    /** For {@link java.util.ServiceLoader}. */
    public S3TargetProvider() {}

    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public String description() {
        return "Amazon S3 and S3-compatible stores (MinIO, Ceph, Wasabi, B2, S3Proxy): rclone-compatible mtime and MD5";
    }

    @Override
    public List<TargetOption> options() {
        return OPTIONS;
    }

    @Override
    public SyncTarget open(TargetSpec spec) throws IOException {
        if (!scheme().equals(spec.scheme())) {
            throw new InvalidTargetException("not an s3: location: " + spec.location());
        }
        URI loc = spec.location();
        String bucket = loc.getHost() != null ? loc.getHost() : loc.getRawAuthority();
        if (bucket == null || bucket.isEmpty() || loc.getRawUserInfo() != null || loc.getPort() != -1) {
            throw new InvalidTargetException("an s3: location is s3://bucket[/prefix]: " + loc);
        }
        String rawPath = loc.getRawPath() == null ? "" : loc.getRawPath();
        String prefix = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        while (prefix.startsWith("/")) {
            prefix = prefix.substring(1);
        }
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (prefix.contains("//")) {
            throw new InvalidTargetException("empty path segment in " + loc);
        }
        S3TargetOptions options = parseOptions(spec);
        return S3Target.open(bucket, prefix.isEmpty() ? "" : prefix + "/", options);
    }

    /** Parses a bare options map (as tests hold them); names match case-insensitively. */
    static S3TargetOptions parseOptions(Map<String, String> raw) throws InvalidTargetException {
        return parseOptions(new TargetSpec(URI.create("s3://options"), raw));
    }

    /**
     * Parses a spec's options through {@link TargetSpec}'s typed helpers, so every backend reads
     * a flag, a number or a duration the same way and names the option in its error. Sizes
     * ({@code 16M}) have no helper in the SPI yet and are read by {@link #size}.
     */
    static S3TargetOptions parseOptions(TargetSpec spec) throws InvalidTargetException {
        SpecOptions.requireKnown(spec, OPTIONS);
        S3TargetOptions d = S3TargetOptions.DEFAULTS;
        Optional<URI> endpoint = text(spec, ENDPOINT).isPresent()
                ? Optional.of(parseEndpoint(text(spec, ENDPOINT).get())) : d.endpoint();
        String conditional = text(spec, CONDITIONAL_WRITES).orElse("auto");
        long partSize = size(spec, PART_SIZE, d.partSize());
        if (partSize > Integer.MAX_VALUE) {
            throw new InvalidTargetException("option '" + PART_SIZE + "' must be below 2G, not '"
                    + spec.options().get(PART_SIZE) + "'");
        }
        try {
            return new S3TargetOptions(endpoint,
                    text(spec, REGION).or(d::region),
                    SpecOptions.flag(spec, PATH_STYLE, endpoint.isPresent()),
                    text(spec, ACCESS_KEY).or(d::accessKey),
                    // A secret is taken as given: spaces may be part of it.
                    spec.option(SECRET_KEY).filter(v -> !v.isEmpty()).or(d::secretKey),
                    text(spec, STORAGE_CLASS).or(d::storageClass),
                    text(spec, SSE).or(d::sse),
                    size(spec, MULTIPART_CUTOFF, d.multipartCutoff()),
                    size(spec, BUFFER_LIMIT, d.bufferLimit()),
                    (int) partSize,
                    (int) SpecOptions.number(spec, UPLOAD_CONCURRENCY, d.uploadConcurrency(), 1, 1024),
                    size(spec, COPY_CUTOFF, d.copyCutoff()),
                    SpecOptions.flag(spec, DIRECTORY_MARKERS, d.directoryMarkers()),
                    conditional.equalsIgnoreCase("auto") ? Optional.empty()
                            : Optional.of(SpecOptions.flag(spec, CONDITIONAL_WRITES, false)),
                    SpecOptions.flag(spec, LIST_MOD_TIMES, d.listModTimes()),
                    (int) SpecOptions.number(spec, LIST_CHUNK, d.listChunk(), 1, 1000),
                    SpecOptions.duration(spec, INCOMPLETE_UPLOAD_MAX_AGE, d.incompleteUploadMaxAge()),
                    TlsTrust.of(spec));
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException(e.getMessage(), e);
        }
    }

    /** A text option, trimmed; empty if absent or blank. */
    private static Optional<String> text(TargetSpec spec, String name) {
        return spec.option(name).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static URI parseEndpoint(String value) throws InvalidTargetException {
        try {
            URI u = new URI(value.contains("://") ? value : "https://" + value);
            if (u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getRawUserInfo() != null) {
                throw new URISyntaxException(value, "not an http(s) URL with a host");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new InvalidTargetException("option 'endpoint' must be a URL such as http://127.0.0.1:9000, not '"
                    + value + "'", e);
        }
    }

    /**
     * A size option: {@code 8M}, {@code 5MiB}, {@code 1G}, {@code 1048576} (binary units; a bare
     * number is bytes).
     */
    static long size(TargetSpec spec, String option, long defaultValue) throws InvalidTargetException {
        Optional<String> v = spec.option(option);
        if (v.isEmpty()) {
            return defaultValue;
        }
        String value = v.get().trim();
        Matcher m = SIZE.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new InvalidTargetException("option '" + option + "' must be a size such as 8M or 1G, not '" + value + "'");
        }
        try {
            long n = Long.parseLong(m.group(1));
            int shift = switch (m.group(2)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                case "t" -> 40;
                default -> 0;
            };
            return Math.multiplyExact(n, 1L << shift);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidTargetException("option '" + option + "' is out of range: '" + value + "'", e);
        }
    }
}
