package dev.ferry.backend.webdav;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A small server that answers as Nextcloud's WebDAV endpoint does, after PROTOCOLS.md §3 (itself
 * from Nextcloud's developer manual and server code): Basic auth, {@code /remote.php/dav/files/U}
 * and {@code /remote.php/dav/uploads/U}, PROPFIND Depth 0/1 (Depth infinity refused) with
 * {@code oc:fileid}, {@code oc:size} and {@code oc:checksums}; PUT with {@code X-OC-Mtime}
 * (numeric and above 86400, confirmed by {@code X-OC-MTime: accepted}), {@code OC-Checksum} kept
 * as sent and cleared by a PUT without it, If-Match and If-None-Match; chunked upload v2 with the
 * v2 rules (Destination on every request, chunk names 1..10000, chunks of at least 5 MiB but the
 * last, OC-Total-Length summed on MOVE); MOVE and COPY with full-URL Destination and Overwrite;
 * PROPPATCH of {@code DAV:lastmodified}; 409 for a missing parent; 507 over quota; 423 on demand;
 * {@code oc:permissions} per path (403 where a letter is missing, as Nextcloud's Forbidden); a
 * trash bin that DELETE moves files into; the chunk-assembly MOVE honouring {@code If-Match}
 * and {@code Overwrite: F} against its destination.
 *
 * <p>It is a test double for the protocol, not a Nextcloud: no locking, no versions. A PUT's
 * If-Match / If-None-Match are checked when it arrives (Sabre's checkPreconditions) and again
 * when its part file is renamed into place (standing in for Nextcloud's file lock, which keeps
 * another writer out meanwhile).
 */
final class NextcloudEmulator {

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final long MIN_CHUNK = 5L << 20;

    private final HttpServer server;
    private final ExecutorService pool;
    private final Path data;
    private final Path files;
    private final Path uploads;
    private final String user;
    private final String auth;
    private final Map<Path, String> checksums = new ConcurrentHashMap<>();
    private final Map<Path, Long> versions = new ConcurrentHashMap<>();
    private final Map<String, String> uploadDestinations = new ConcurrentHashMap<>();
    private final AtomicLong etagCounter = new AtomicLong(1);
    private final Object lock = new Object();

    /** Requests seen, as "METHOD path headers-of-interest", for tests that check the protocol. */
    final List<String> log = new CopyOnWriteArrayList<>();
    /** The next this-many chunk-assembly MOVEs answer 423 Locked. */
    final AtomicInteger lockedMoves = new AtomicInteger();
    /**
     * {@code oc:permissions} by path below the user's files ("" is the home): a path has those of
     * its nearest listed ancestor-or-self, else everything ({@code RGDNVCK}, files {@code RGDNVW}).
     */
    final Map<String, String> permissions = new ConcurrentHashMap<>();
    /** The trash bin: original locations (below the user's files) of what DELETE removed, oldest first. */
    final List<String> trash = new CopyOnWriteArrayList<>();
    /** Bytes the user may store; a PUT or chunk beyond it answers 507. */
    final AtomicLong quota = new AtomicLong(Long.MAX_VALUE);

    private NextcloudEmulator(Path data, String user, String password) throws IOException {
        this.data = data;
        this.user = user;
        this.files = Files.createDirectories(data.resolve("files"));
        this.uploads = Files.createDirectories(data.resolve("uploads"));
        this.auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        this.pool = Executors.newFixedThreadPool(24, r -> {
            Thread t = new Thread(r, "nextcloud-emulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
    }

    static NextcloudEmulator start(Path data, String user, String password) throws IOException {
        NextcloudEmulator e = new NextcloudEmulator(data, user, password);
        e.server.start();
        return e;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Where the user's files live on disk. */
    Path filesRoot() {
        return files;
    }

    void stop() {
        server.stop(0);
        pool.shutdownNow();
    }

    // ------------------------------------------------------------------ dispatch

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String method = x.getRequestMethod();
            String rawPath = x.getRequestURI().getRawPath();
            log.add(method + " " + rawPath + headersOfInterest(x));
            if (!auth.equals(x.getRequestHeaders().getFirst("Authorization"))) {
                x.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"Nextcloud\"");
                drain(x);
                send(x, 401, "");
                return;
            }
            Optional<Path> p = resolve(rawPath);
            if (p.isEmpty()) {
                drain(x);
                send(x, 404, "");
                return;
            }
            Path path = p.get();
            boolean inUploads = path.startsWith(uploads);
            switch (method) {
                case "PROPFIND" -> propfind(x, path);
                case "GET" -> get(x, path, inUploads);
                case "PUT" -> {
                    if (inUploads) {
                        putChunk(x, path);
                    } else {
                        put(x, path);
                    }
                }
                case "MKCOL" -> mkcol(x, path, inUploads);
                case "DELETE" -> delete(x, path);
                case "MOVE" -> {
                    if (inUploads && path.getFileName().toString().equals(".file")) {
                        assemble(x, path.getParent());
                    } else {
                        moveOrCopy(x, path, true);
                    }
                }
                case "COPY" -> moveOrCopy(x, path, false);
                case "PROPPATCH" -> proppatch(x, path);
                default -> {
                    drain(x);
                    send(x, 405, "");
                }
            }
        } catch (RuntimeException | IOException e) {
            // Sabre answers an exception with a 500, it does not drop the connection.
            try {
                send(x, 500, e.toString());
            } catch (IOException | RuntimeException ignored) {
                // headers already sent: nothing more to say
            }
        }
    }

    private static String headersOfInterest(HttpExchange x) {
        StringBuilder b = new StringBuilder();
        for (String h : List.of("Depth", "X-OC-Mtime", "OC-Checksum", "OC-Total-Length", "Destination", "Overwrite",
                "If-Match", "If-None-Match")) {
            String v = x.getRequestHeaders().getFirst(h);
            if (v != null) {
                b.append(' ').append(h).append('=').append(v);
            }
        }
        return b.toString();
    }

    /** Maps a raw URL path under {@code /remote.php/dav/files/U} or {@code /remote.php/dav/uploads/U} to disk. */
    private Optional<Path> resolve(String rawPath) {
        String[] parts = rawPath.split("/");
        List<String> segs = new ArrayList<>();
        for (String s : parts) {
            if (s.isEmpty()) {
                continue;
            }
            String d = java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (d.equals("..") || d.equals(".") || d.contains("/") || d.contains("\0")) {
                return Optional.empty();
            }
            segs.add(d);
        }
        if (segs.size() < 4 || !segs.get(0).equals("remote.php") || !segs.get(1).equals("dav") || !segs.get(3).equals(user)) {
            return Optional.empty();
        }
        Path base = switch (segs.get(2)) {
            case "files" -> files;
            case "uploads" -> uploads;
            default -> null;
        };
        if (base == null) {
            return Optional.empty();
        }
        Path p = base;
        for (String s : segs.subList(4, segs.size())) {
            p = p.resolve(s);
        }
        return Optional.of(p);
    }

    private Optional<Path> destination(HttpExchange x) {
        String d = x.getRequestHeaders().getFirst("Destination");
        if (d == null) {
            return Optional.empty();
        }
        // Nextcloud takes the full URL (as clients send it) or an absolute path.
        return resolve(URI.create(d).getRawPath());
    }

    private String href(Path p) {
        boolean up = p.startsWith(uploads);
        Path base = up ? uploads : files;
        StringBuilder b = new StringBuilder("/remote.php/dav/" + (up ? "uploads" : "files") + "/" + encode(user));
        for (Path s : base.relativize(p)) {
            if (!s.toString().isEmpty()) {
                b.append('/').append(encode(s.toString()));
            }
        }
        if (Files.isDirectory(p)) {
            b.append('/');
        }
        return b.toString();
    }

    /** Sabre's encodePathSegment: keeps a few reserved characters raw, as Nextcloud's hrefs do. */
    private static String encode(String segment) {
        StringBuilder b = new StringBuilder();
        for (byte x : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "_-.~():@".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append(String.format("%%%02X", c));
            }
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ methods

    private void propfind(HttpExchange x, Path p) throws IOException {
        drain(x);
        String depth = Optional.ofNullable(x.getRequestHeaders().getFirst("Depth")).orElse("infinity");
        if (!depth.equals("0") && !depth.equals("1")) {
            send(x, 403, "Depth infinity is not allowed");
            return;
        }
        if (!Files.exists(p)) {
            send(x, 404, "");
            return;
        }
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?>\n<d:multistatus xmlns:d=\"DAV:\" "
                + "xmlns:s=\"http://sabredav.org/ns\" xmlns:oc=\"http://owncloud.org/ns\" xmlns:nc=\"http://nextcloud.org/ns\">");
        response(b, p);
        if (depth.equals("1") && Files.isDirectory(p)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                for (Path c : ds) {
                    if (!c.getFileName().toString().endsWith(".emulator-part")) {
                        response(b, c);
                    }
                }
            }
        }
        b.append("</d:multistatus>");
        x.getResponseHeaders().set("Content-Type", "application/xml; charset=utf-8");
        send(x, 207, b.toString());
    }

    private void response(StringBuilder b, Path p) throws IOException {
        boolean dir = Files.isDirectory(p);
        b.append("<d:response><d:href>").append(href(p)).append("</d:href><d:propstat><d:prop>");
        b.append("<d:getlastmodified>").append(HTTP_DATE.format(Files.getLastModifiedTime(p).toInstant()))
                .append("</d:getlastmodified>");
        b.append("<d:getetag>").append(etag(p)).append("</d:getetag>");
        b.append("<oc:fileid>").append(Math.abs(p.hashCode())).append("</oc:fileid>");
        if (p.startsWith(files)) {
            b.append("<oc:permissions>").append(permissionsOf(p)).append("</oc:permissions>");
        }
        if (dir) {
            b.append("<d:resourcetype><d:collection/></d:resourcetype>");
            b.append("<oc:size>").append(treeSize(p)).append("</oc:size>");
        } else {
            long size = Files.size(p);
            b.append("<d:resourcetype/><d:getcontentlength>").append(size).append("</d:getcontentlength>");
            b.append("<oc:size>").append(size).append("</oc:size>");
            String sum = checksums.get(p);
            b.append("<oc:checksums>");
            if (sum != null) {
                b.append("<oc:checksum>").append(sum).append("</oc:checksum>");
            }
            b.append("</oc:checksums>");
        }
        b.append("</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>");
        // Unknown properties come back in their own propstat with 404, as Sabre does.
        b.append("<d:propstat><d:prop>").append(dir ? "<d:getcontentlength/>" : "")
                .append("</d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>");
    }

    /** Bytes below a directory; files that vanish during the walk (part files renamed) don't count. */
    private static long treeSize(Path dir) throws IOException {
        long[] sum = {0};
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) {
                if (a.isRegularFile()) {
                    sum[0] += a.size();
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return sum[0];
    }

    /** The permissions of a path in the files tree: its own or its nearest ancestor's, else all. */
    String permissionsOf(Path p) {
        for (Path q = p; q != null && q.startsWith(files); q = q.getParent()) {
            String v = permissions.get(files.relativize(q).toString().replace('\\', '/'));
            if (v != null) {
                return v;
            }
        }
        return Files.isRegularFile(p) ? "RGDNVW" : "RGDNVCK";
    }

    /** Nextcloud answers an action the permissions do not allow with 403 Forbidden. */
    private boolean forbidden(HttpExchange x, Path p, char letter) throws IOException {
        if (!p.startsWith(files) || permissionsOf(p).indexOf(letter) >= 0) {
            return false;
        }
        drain(x);
        send(x, 403, "Forbidden: missing permission " + letter);
        return true;
    }

    private String etag(Path p) {
        return "\"" + Long.toHexString(versions.computeIfAbsent(p, k -> etagCounter.getAndIncrement())) + "\"";
    }

    private void get(HttpExchange x, Path p, boolean inUploads) throws IOException {
        if (inUploads) {
            send(x, 405, "reading chunks back is not allowed");
            return;
        }
        if (!Files.isRegularFile(p)) {
            send(x, Files.isDirectory(p) ? 501 : 404, "");
            return;
        }
        long size = Files.size(p);
        long from = 0;
        String range = x.getRequestHeaders().getFirst("Range");
        Matcher m = range == null ? null : Pattern.compile("bytes=(\\d+)-").matcher(range);
        int code = 200;
        if (m != null && m.matches()) {
            from = Long.parseLong(m.group(1));
            if (from >= size && size > 0) {
                send(x, 416, "");
                return;
            }
            code = 206;
        }
        x.getResponseHeaders().set("ETag", etag(p));
        Optional.ofNullable(checksums.get(p)).ifPresent(c -> x.getResponseHeaders().set("OC-Checksum", c));
        x.getResponseHeaders().set("Content-Type", "application/octet-stream");
        long len = size - from;
        x.sendResponseHeaders(code, len == 0 ? -1 : len);
        try (InputStream in = Files.newInputStream(p); OutputStream out = x.getResponseBody()) {
            in.skipNBytes(from);
            in.transferTo(out);
        }
    }

    /** Receives a request body into a part file; empty if it was cut short. */
    private Optional<Path> receive(HttpExchange x, Path dir) throws IOException {
        Path part = dir.resolve("." + System.nanoTime() + Thread.currentThread().getId() + ".emulator-part");
        long expected = Optional.ofNullable(x.getRequestHeaders().getFirst("Content-Length")).map(Long::parseLong).orElse(-1L);
        try (InputStream in = x.getRequestBody()) {
            Files.copy(in, part);
        } catch (IOException e) {
            Files.deleteIfExists(part);
            return Optional.empty();
        }
        if (expected >= 0 && Files.size(part) != expected) {
            Files.deleteIfExists(part);
            return Optional.empty();
        }
        return Optional.of(part);
    }

    private Optional<Long> mtime(HttpExchange x) {
        String v = x.getRequestHeaders().getFirst("X-OC-Mtime");
        if (v == null) {
            return Optional.empty();
        }
        if (!v.matches("\\d+") || Long.parseLong(v) <= 86400) {
            throw new IllegalArgumentException("X-OC-MTime header must be an integer > 86400");
        }
        return Optional.of(Long.parseLong(v));
    }

    private void put(HttpExchange x, Path p) throws IOException {
        Optional<Long> mtime;
        try {
            mtime = mtime(x);
        } catch (IllegalArgumentException e) {
            drain(x);
            send(x, 400, e.getMessage());
            return;
        }
        if (!Files.isDirectory(p.getParent())) {
            drain(x);
            send(x, 409, "parent missing");
            return;
        }
        if (Files.isDirectory(p)) {
            drain(x);
            send(x, 405, "is a collection");
            return;
        }
        if (Files.exists(p) ? forbidden(x, p, 'W') : forbidden(x, p.getParent(), 'C')) {
            return;
        }
        String early = precondition(x, p);
        if (early != null) {
            drain(x);
            send(x, 412, early);
            return;
        }
        long declared = Optional.ofNullable(x.getRequestHeaders().getFirst("Content-Length")).map(Long::parseLong).orElse(0L);
        if (quota.get() != Long.MAX_VALUE && used() + declared > quota.get()) {
            drain(x);
            send(x, 507, "Insufficient Storage");
            return;
        }
        Optional<Path> part = receive(x, p.getParent());
        if (part.isEmpty()) {
            send(x, 400, "Expected filesize does not match");
            return;
        }
        boolean existed;
        synchronized (lock) {
            existed = Files.exists(p);
            String failed = precondition(x, p);
            if (failed != null) {
                Files.deleteIfExists(part.get());
                send(x, 412, failed);
                return;
            }
            Files.move(part.get(), p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            versions.put(p, etagCounter.getAndIncrement());
            String sum = x.getRequestHeaders().getFirst("OC-Checksum");
            if (sum == null) {
                checksums.remove(p); // a PUT without OC-Checksum clears the stored one
            } else {
                checksums.put(p, sum);
            }
            if (mtime.isPresent()) {
                Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(mtime.get())));
                x.getResponseHeaders().set("X-OC-MTime", "accepted");
            }
        }
        x.getResponseHeaders().set("ETag", etag(p));
        x.getResponseHeaders().set("OC-ETag", etag(p));
        send(x, existed ? 204 : 201, "");
    }

    private String precondition(HttpExchange x, Path p) {
        String ifMatch = x.getRequestHeaders().getFirst("If-Match");
        String ifNone = x.getRequestHeaders().getFirst("If-None-Match");
        if ("*".equals(ifNone) && Files.exists(p)) {
            return "If-None-Match: the file exists";
        }
        if (ifMatch != null && (!Files.exists(p) || !ifMatch.equals(etag(p)))) {
            return "If-Match: the etag differs";
        }
        return null;
    }

    private long used() throws IOException {
        return quota.get() == Long.MAX_VALUE ? 0 : treeSize(files);
    }

    private void mkcol(HttpExchange x, Path p, boolean inUploads) throws IOException {
        drain(x);
        if (Files.exists(p)) {
            send(x, 405, "exists");
            return;
        }
        if (!Files.isDirectory(p.getParent())) {
            send(x, 409, "parent missing");
            return;
        }
        if (forbidden(x, p.getParent(), 'K')) {
            return;
        }
        try {
            Files.createDirectory(p);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            send(x, 405, "exists"); // lost a race with another MKCOL
            return;
        }
        if (inUploads && p.getParent().equals(uploads)) {
            String d = x.getRequestHeaders().getFirst("Destination");
            if (d != null) {
                uploadDestinations.put(p.getFileName().toString(), d);
            }
        }
        send(x, 201, "");
    }

    private void putChunk(HttpExchange x, Path p) throws IOException {
        Path dir = p.getParent();
        String id = dir.getFileName().toString();
        String name = p.getFileName().toString();
        if (!dir.getParent().equals(uploads) || !Files.isDirectory(dir)) {
            drain(x);
            send(x, 404, "no such upload");
            return;
        }
        String dest = x.getRequestHeaders().getFirst("Destination");
        if (dest == null || !dest.equals(uploadDestinations.get(id))) {
            drain(x);
            send(x, 400, "Destination missing or different from the MKCOL's");
            return;
        }
        if (!name.matches("\\d{1,5}") || Integer.parseInt(name) < 1 || Integer.parseInt(name) > 10000) {
            drain(x);
            send(x, 400, "Invalid chunk name, must be numeric and between 1 and 10000");
            return;
        }
        String total = x.getRequestHeaders().getFirst("OC-Total-Length");
        if (total != null && used() + Long.parseLong(total) > quota.get()) {
            drain(x);
            send(x, 507, "Insufficient Storage");
            return;
        }
        Optional<Path> part = receive(x, dir);
        if (part.isEmpty()) {
            send(x, 400, "Expected filesize does not match");
            return;
        }
        Files.move(part.get(), p, StandardCopyOption.REPLACE_EXISTING);
        send(x, 201, "");
    }

    private void assemble(HttpExchange x, Path dir) throws IOException {
        drain(x);
        if (!Files.isDirectory(dir)) {
            send(x, 404, "no such upload");
            return;
        }
        if (lockedMoves.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(x, 423, "file is locked");
            return;
        }
        Optional<Path> dest = destination(x);
        String destHeader = x.getRequestHeaders().getFirst("Destination");
        if (dest.isEmpty() || !destHeader.equals(uploadDestinations.get(dir.getFileName().toString()))) {
            send(x, 400, "Destination missing or different from the MKCOL's");
            return;
        }
        Optional<Long> mtime;
        try {
            mtime = mtime(x);
        } catch (IllegalArgumentException e) {
            send(x, 400, e.getMessage());
            return;
        }
        List<Path> chunks = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(c -> {
                if (!c.getFileName().toString().endsWith(".emulator-part")) {
                    chunks.add(c);
                }
            });
        }
        chunks.sort(Comparator.comparing(c -> c.getFileName().toString()));
        long sum = 0;
        for (int i = 0; i < chunks.size(); i++) {
            long s = Files.size(chunks.get(i));
            if (i < chunks.size() - 1 && s < MIN_CHUNK) {
                send(x, 400, "chunk " + chunks.get(i).getFileName() + " is smaller than 5 MiB and not the last");
                return;
            }
            sum += s;
        }
        String total = x.getRequestHeaders().getFirst("OC-Total-Length");
        if (total != null && Long.parseLong(total) != sum) {
            send(x, 400, "Chunks on server do not sum up to " + total + " but to " + sum + " bytes");
            return;
        }
        Path target = dest.get();
        if (!Files.isDirectory(target.getParent())) {
            send(x, 409, "parent missing");
            return;
        }
        Path part = target.getParent().resolve("." + System.nanoTime() + ".emulator-part");
        try (OutputStream out = Files.newOutputStream(part)) {
            for (Path c : chunks) {
                Files.copy(c, out);
            }
        }
        boolean existed;
        synchronized (lock) {
            existed = Files.exists(target);
            // Sabre refuses Overwrite: F onto an existing file before the MOVE; If-Match names the
            // destination's version, as Nextcloud's desktop client sends it on this MOVE.
            String failed = "F".equalsIgnoreCase(x.getRequestHeaders().getFirst("Overwrite")) && existed
                    ? "the destination exists and Overwrite is F" : precondition(x, target);
            if (failed == null && (existed ? permissionsOf(target).indexOf('W') < 0
                    : permissionsOf(target.getParent()).indexOf('C') < 0)) {
                Files.deleteIfExists(part);
                send(x, 403, "Forbidden");
                return;
            }
            if (failed != null) {
                Files.deleteIfExists(part);
                send(x, 412, failed);
                return;
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            versions.put(target, etagCounter.getAndIncrement());
            String cs = x.getRequestHeaders().getFirst("OC-Checksum");
            if (cs == null) {
                checksums.remove(target);
            } else {
                checksums.put(target, cs);
            }
            if (mtime.isPresent()) {
                Files.setLastModifiedTime(target, FileTime.from(Instant.ofEpochSecond(mtime.get())));
                x.getResponseHeaders().set("X-OC-MTime", "accepted");
            }
        }
        deleteTree(dir);
        uploadDestinations.remove(dir.getFileName().toString());
        x.getResponseHeaders().set("ETag", etag(target));
        send(x, existed ? 204 : 201, "");
    }

    private void delete(HttpExchange x, Path p) throws IOException {
        drain(x);
        String failed = precondition(x, p); // Sabre's checkPreconditions, before the method itself
        if (failed != null) {
            send(x, 412, failed);
            return;
        }
        if (!Files.exists(p)) {
            send(x, 404, "");
            return;
        }
        if (p.equals(files)) {
            send(x, 403, "cannot delete the home folder");
            return;
        }
        if (forbidden(x, p, 'D')) {
            return;
        }
        synchronized (lock) {
            if (p.startsWith(files)) {
                // Nextcloud's trash bin: the item goes there, not away.
                Path bin = Files.createDirectories(data.resolve("trash"));
                trash.add(files.relativize(p).toString());
                Files.move(p, bin.resolve(p.getFileName() + ".d" + System.nanoTime()));
                versions.keySet().removeIf(q -> q.startsWith(p));
                checksums.keySet().removeIf(q -> q.startsWith(p));
            } else {
                deleteTree(p);
            }
        }
        send(x, 204, "");
    }

    private void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                checksums.remove(q);
                versions.remove(q);
                Files.deleteIfExists(q);
            }
        }
    }

    private void moveOrCopy(HttpExchange x, Path from, boolean move) throws IOException {
        drain(x);
        Optional<Path> to = destination(x);
        if (to.isEmpty() || !to.get().startsWith(files)) {
            send(x, 400, "bad Destination");
            return;
        }
        if (!Files.exists(from)) {
            send(x, 404, "");
            return;
        }
        if (!Files.isDirectory(to.get().getParent())) {
            send(x, 409, "parent missing");
            return;
        }
        boolean overwrite = !"F".equalsIgnoreCase(x.getRequestHeaders().getFirst("Overwrite"));
        if (forbidden(x, to.get().getParent(), 'C') || (move && forbidden(x, from, 'V'))) {
            return;
        }
        synchronized (lock) {
            boolean existed = Files.exists(to.get());
            if (existed && !overwrite) {
                send(x, 412, "destination exists");
                return;
            }
            if (existed) {
                deleteTree(to.get());
            }
            if (move) {
                String sum = checksums.remove(from);
                Files.move(from, to.get(), StandardCopyOption.ATOMIC_MOVE);
                if (sum != null) {
                    checksums.put(to.get(), sum);
                }
                versions.remove(from);
            } else if (Files.isDirectory(from)) {
                send(x, 501, "emulator copies files only");
                return;
            } else {
                Files.copy(from, to.get()); // the copy gets the current time, as on Nextcloud
                Optional.ofNullable(checksums.get(from)).ifPresent(c -> checksums.put(to.get(), c));
            }
            versions.put(to.get(), etagCounter.getAndIncrement());
            send(x, existed ? 204 : 201, "");
        }
    }

    private void proppatch(HttpExchange x, Path p) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!Files.exists(p)) {
            send(x, 404, "");
            return;
        }
        Matcher m = Pattern.compile("<(?:\\w+:)?lastmodified>\\s*(\\d+)\\s*</").matcher(body);
        String status;
        String prop;
        if (m.find()) {
            Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(Long.parseLong(m.group(1)))));
            status = "HTTP/1.1 200 OK";
            prop = "<d:lastmodified/>";
        } else {
            status = "HTTP/1.1 403 Forbidden";
            prop = "";
        }
        x.getResponseHeaders().set("Content-Type", "application/xml; charset=utf-8");
        send(x, 207, "<?xml version=\"1.0\"?><d:multistatus xmlns:d=\"DAV:\"><d:response><d:href>" + href(p)
                + "</d:href><d:propstat><d:prop>" + prop + "</d:prop><d:status>" + status
                + "</d:status></d:propstat></d:response></d:multistatus>");
    }

    // ------------------------------------------------------------------ plumbing

    private static void drain(HttpExchange x) {
        try (InputStream in = x.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void send(HttpExchange x, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(b);
            }
        }
    }
}
