package dev.ferry.backend.s3;

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
    static final String PART_SIZE = "partSize";
    static final String UPLOAD_CONCURRENCY = "uploadConcurrency";
    static final String COPY_CUTOFF = "copyCutoff";
    static final String DIRECTORY_MARKERS = "directoryMarkers";
    static final String CONDITIONAL_WRITES = "conditionalWrites";
    static final String LIST_MOD_TIMES = "listModTimes";
    static final String LIST_CHUNK = "listChunk";

    private static final List<TargetOption> OPTIONS = List.of(
            TargetOption.of(ENDPOINT, "S3-compatible endpoint URL, e.g. http://127.0.0.1:9000 (default: AWS)"),
            TargetOption.of(REGION, "signing region (default: the SDK's region chain, else us-east-1)"),
            TargetOption.of(PATH_STYLE, "path-style addressing host/bucket/key (default: true with an endpoint)"),
            TargetOption.of(ACCESS_KEY, "access key id (default: env, profile, instance role)"),
            TargetOption.secret(SECRET_KEY, "secret access key, with accessKey"),
            TargetOption.of(STORAGE_CLASS, "storage class of new objects, e.g. STANDARD_IA"),
            TargetOption.of(SSE, "server-side encryption of new objects: AES256 or aws:kms"),
            TargetOption.of(MULTIPART_CUTOFF, "upload in parts above this size (default 16M)"),
            TargetOption.of(PART_SIZE, "multipart part size, at least 5M (default 16M)"),
            TargetOption.of(UPLOAD_CONCURRENCY, "parts uploaded at once (and part buffers held) across the target (default 8)"),
            TargetOption.of(COPY_CUTOFF, "server-side copies above this size use multipart copy (default 4G, at most 5G)"),
            TargetOption.of(DIRECTORY_MARKERS, "keep empty directories as zero-byte dir/ objects (default false)"),
            TargetOption.of(CONDITIONAL_WRITES, "store honours If-None-Match/If-Match atomically: auto, true, false (default auto: true on AWS)"),
            TargetOption.of(LIST_MOD_TIMES, "read each object's mtime while listing, a HEAD per object (default true)"),
            TargetOption.of(LIST_CHUNK, "keys per listing request, 1-1000 (default 1000)"));

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
        S3TargetOptions options;
        try {
            options = parseOptions(spec.options());
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException("s3://" + bucket + ": " + e.getMessage(), e);
        }
        return S3Target.open(bucket, prefix.isEmpty() ? "" : prefix + "/", options);
    }

    /** Parses the options map; names match case-insensitively. */
    static S3TargetOptions parseOptions(Map<String, String> raw) throws InvalidTargetException {
        S3TargetOptions d = S3TargetOptions.DEFAULTS;
        Optional<URI> endpoint = d.endpoint();
        Optional<String> region = d.region();
        Optional<Boolean> pathStyle = Optional.empty();
        Optional<String> accessKey = d.accessKey();
        Optional<String> secretKey = d.secretKey();
        Optional<String> storageClass = d.storageClass();
        Optional<String> sse = d.sse();
        long cutoff = d.multipartCutoff();
        long partSize = d.partSize();
        int concurrency = d.uploadConcurrency();
        long copyCutoff = d.copyCutoff();
        boolean markers = d.directoryMarkers();
        Optional<Boolean> conditional = d.conditionalWrites();
        boolean listModTimes = d.listModTimes();
        int listChunk = d.listChunk();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String name = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            switch (name.toLowerCase(Locale.ROOT)) {
                case "endpoint" -> endpoint = Optional.of(parseEndpoint(value));
                case "region" -> region = nonEmpty(value);
                case "pathstyle" -> pathStyle = Optional.of(parseBoolean(PATH_STYLE, value));
                case "accesskey" -> accessKey = nonEmpty(value);
                case "secretkey" -> secretKey = nonEmpty(e.getValue() == null ? "" : e.getValue());
                case "storageclass" -> storageClass = nonEmpty(value);
                case "sse" -> sse = nonEmpty(value);
                case "multipartcutoff" -> cutoff = parseSize(MULTIPART_CUTOFF, value);
                case "partsize" -> partSize = parseSize(PART_SIZE, value);
                case "uploadconcurrency" -> concurrency = (int) parseLong(UPLOAD_CONCURRENCY, value);
                case "copycutoff" -> copyCutoff = parseSize(COPY_CUTOFF, value);
                case "directorymarkers" -> markers = parseBoolean(DIRECTORY_MARKERS, value);
                case "conditionalwrites" -> conditional = value.equalsIgnoreCase("auto") ? Optional.empty()
                        : Optional.of(parseBoolean(CONDITIONAL_WRITES, value));
                case "listmodtimes" -> listModTimes = parseBoolean(LIST_MOD_TIMES, value);
                case "listchunk" -> listChunk = (int) parseLong(LIST_CHUNK, value);
                default -> throw new InvalidTargetException("unknown option '" + name + "' for s3: locations; known: "
                        + OPTIONS.stream().map(TargetOption::name).toList());
            }
        }
        if (partSize > Integer.MAX_VALUE) {
            throw new InvalidTargetException("option 'partSize' is too large");
        }
        try {
            return new S3TargetOptions(endpoint, region, pathStyle.orElse(endpoint.isPresent()), accessKey, secretKey,
                    storageClass, sse, cutoff, (int) partSize, concurrency, copyCutoff, markers, conditional,
                    listModTimes, listChunk);
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException(e.getMessage(), e);
        }
    }

    private static Optional<String> nonEmpty(String v) {
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
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

    static boolean parseBoolean(String option, String value) throws InvalidTargetException {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1", "" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new InvalidTargetException("option '" + option + "' must be true or false, not '" + value + "'");
        };
    }

    private static long parseLong(String option, String value) throws InvalidTargetException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidTargetException("option '" + option + "' must be a number, not '" + value + "'", e);
        }
    }

    /** {@code 8M}, {@code 5MiB}, {@code 1G}, {@code 1048576} (binary units; a bare number is bytes). */
    static long parseSize(String option, String value) throws InvalidTargetException {
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
