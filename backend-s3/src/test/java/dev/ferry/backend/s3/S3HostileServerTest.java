package dev.ferry.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetSpec;
import dev.ferry.core.RetryPolicy;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.Listings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.io.BufferedWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fake S3 endpoint giving answers no honest store gives: a continuation token handed back
 * forever, "truncated" without a token, keys that climb out of the prefix, an object shorter
 * than its listed size, and a very large directory streamed page by page without being held.
 */
class S3HostileServerTest {

    /**
     * Keys in the streamed large directory: 20,000 in CI; {@code FERRY_HOSTILE_LARGE=1000000}
     * for the million measured once (docs/reliability.md), in the build's 256 MiB test heap.
     */
    static final int LARGE = Integer.parseInt(System.getenv().getOrDefault("FERRY_HOSTILE_LARGE", "20000"));
    private static final int PAGE = 1000;

    @TempDir
    Path tmp;

    private HttpServer server;
    private final AtomicInteger listCalls = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            x.getRequestBody().transferTo(OutputStream.nullOutputStream());
            String path = x.getRequestURI().getRawPath();
            String query = x.getRequestURI().getRawQuery() == null ? "" : x.getRequestURI().getRawQuery();
            if (x.getRequestMethod().equals("HEAD")) {
                x.sendResponseHeaders(200, -1);
                return;
            }
            if (query.contains("list-type=2")) {
                listCalls.incrementAndGet();
                String prefix = param(query, "prefix");
                String token = param(query, "continuation-token");
                list(x, prefix, token);
                return;
            }
            if (path.endsWith("/liar.bin")) {
                // Announces 1000 bytes (as the listing did), sends ten, then the connection ends.
                byte[] b = "only ten b".getBytes(StandardCharsets.US_ASCII);
                x.getResponseHeaders().set("ETag", "\"e\"");
                x.sendResponseHeaders(200, 1000);
                x.getResponseBody().write(b);
                x.getResponseBody().flush();
                return;
            }
            if (path.endsWith("/ok.txt")) {
                byte[] b = "ok".getBytes(StandardCharsets.US_ASCII);
                x.getResponseHeaders().set("ETag", "\"e\"");
                x.sendResponseHeaders(200, b.length);
                x.getResponseBody().write(b);
                return;
            }
            x.sendResponseHeaders(404, -1);
        }
    }

    private static String param(String query, String name) {
        for (String kv : query.split("&")) {
            if (kv.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(kv.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String object(String key, long size) {
        return "<Contents><Key>" + key + "</Key><LastModified>2022-07-20T05:12:23.000Z</LastModified>"
                + "<ETag>\"e\"</ETag><Size>" + size + "</Size><StorageClass>STANDARD</StorageClass></Contents>";
    }

    private void list(HttpExchange x, String prefix, String token) throws IOException {
        String p = prefix == null ? "" : prefix;
        x.getResponseHeaders().set("Content-Type", "application/xml");
        x.sendResponseHeaders(200, 0);
        try (Writer w = new BufferedWriter(new OutputStreamWriter(x.getResponseBody(), StandardCharsets.UTF_8), 1 << 16)) {
            w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                    + "<Name>b</Name><Prefix>" + p + "</Prefix><MaxKeys>1000</MaxKeys>");
            if (p.startsWith("endless/")) {
                // Always the same token: a listing that would never end.
                w.write(object(p + "f" + (token == null ? "0" : token.length()), 1)
                        + "<IsTruncated>true</IsTruncated><NextContinuationToken>same</NextContinuationToken>");
            } else if (p.startsWith("notoken/")) {
                w.write(object(p + "a.txt", 1) + "<IsTruncated>true</IsTruncated>");
            } else if (p.startsWith("hostile/")) {
                w.write(object(p + "ok.txt", 2) + object(p + "../escape.txt", 2) + object("/etc/passwd", 2)
                        + object("elsewhere/evil.txt", 2) + object(p + "..", 2) + object(p + "a\\b.txt", 2)
                        + object(p + "x".repeat(5000) + ".txt", 2) + "<IsTruncated>false</IsTruncated>");
            } else if (p.startsWith("liar/")) {
                w.write(object(p + "liar.bin", 1000) + "<IsTruncated>false</IsTruncated>");
            } else if (p.startsWith("large/")) {
                // Generated page by page: the server never holds the directory either.
                int page = token == null ? 0 : Integer.parseInt(token);
                int from = page * PAGE;
                int to = Math.min(LARGE, from + PAGE);
                for (int i = from; i < to; i++) {
                    w.write(object(p + "k" + i, 1));
                }
                w.write(to < LARGE ? "<IsTruncated>true</IsTruncated><NextContinuationToken>" + (page + 1)
                        + "</NextContinuationToken>" : "<IsTruncated>false</IsTruncated>");
            } else {
                w.write("<IsTruncated>false</IsTruncated>");
            }
            w.write("</ListBucketResult>");
        }
    }

    private Map<String, String> options() {
        Map<String, String> m = new HashMap<>();
        m.put("endpoint", "http://127.0.0.1:" + server.getAddress().getPort());
        m.put("accessKey", dev.ferry.testkit.TestSecrets.S3_ACCESS_KEY);
        m.put("secretKey", dev.ferry.testkit.TestSecrets.S3_SECRET_KEY);
        m.put("region", "us-east-1");
        return m;
    }

    private SyncTarget open(String prefix) throws IOException {
        return new S3TargetProvider().open(new TargetSpec(URI.create("s3://b/" + prefix), options()));
    }

    @Test
    @org.junit.jupiter.api.Timeout(30) // before the fix this listing never ended
    void aRepeatedContinuationTokenIsAClearErrorInBoundedTime() throws IOException {
        try (SyncTarget t = open("endless")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> Listings.collect(t, SyncPath.ROOT))
                    .isInstanceOf(PermanentSyncException.class).hasMessageContaining("repeated a continuation token")
                    .hasMessageNotContaining(dev.ferry.testkit.TestSecrets.MARKER);
            assertThatThrownBy(() -> t.ability(dev.ferry.api.RecursiveLister.class).orElseThrow()
                    .listRecursive(SyncPath.ROOT, sink(e -> { })))
                    .isInstanceOf(PermanentSyncException.class).hasMessageContaining("repeated a continuation token");
            assertThat(listCalls.get()).as("gave up at the first repeat").isLessThanOrEqualTo(6);
            assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
        }
    }

    @Test
    void truncatedWithoutATokenIsAnErrorNotAShortListing() throws IOException {
        try (SyncTarget t = open("notoken")) {
            assertThatThrownBy(() -> Listings.collect(t, SyncPath.ROOT))
                    .isInstanceOf(PermanentSyncException.class).hasMessageContaining("no continuation token");
        }
    }

    @Test
    void hostileKeysAreNoticedAndNothingIsWrittenOutsideTheRoot() throws IOException {
        try (SyncTarget t = open("hostile")) {
            Listings.Result r = Listings.collect(t, SyncPath.ROOT);
            assertThat(r.names()).containsExactlyInAnyOrder("ok.txt", "x".repeat(5000) + ".txt");
            assertThat(r.notices()).hasSize(5).allMatch(n -> n.reason() == ListingNotice.Reason.HOSTILE_NAME);
            assertThat(r.notices()).anyMatch(n -> n.detail().contains("outside the listed prefix"));

            Path dest = tmp.resolve("dest/inner");
            SyncReport report = download(t, dest);
            assertThat(report.filesDeleted()).isZero();
            assertThat(report.failures()).as("each hostile key, and the over-long name's copy, reported by name")
                    .hasSize(6).anyMatch(f -> f.toString().contains("../escape.txt"))
                    .anyMatch(f -> f.toString().contains("COPY xxxx"));
            try (Stream<Path> all = Files.walk(tmp.resolve("dest"))) {
                assertThat(all.filter(Files::isRegularFile).map(p -> tmp.resolve("dest").relativize(p).toString()))
                        .containsExactly("inner/ok.txt");
            }
        }
    }

    @Test
    void anObjectShorterThanListedFailsAndPublishesNothing() throws IOException {
        try (SyncTarget t = open("liar")) {
            Path dest = tmp.resolve("dest");
            SyncReport report = download(t, dest);
            assertThat(report.failures()).singleElement().satisfies(f -> assertThat(f.toString()).contains("liar.bin"));
            assertThat(report.filesCopied()).isZero();
            try (Stream<Path> all = Files.list(dest)) {
                assertThat(all).as("no file, no leftover temporary file").isEmpty();
            }
        }
    }

    @Test
    void aLargeDirectoryStreamsInBoundedMemoryAndTime() throws IOException {
        try (SyncTarget t = open("large")) {
            Listings.Cost cost = Listings.measure(t, SyncPath.ROOT);
            assertThat(cost.entries()).isEqualTo(LARGE);
            System.out.println("[reliability] S3 hostile large directory: " + cost.summary());
            // The listing is streamed: a held directory of this size would be far above 64 MiB of growth
            // only at a million; here we bound the wall time and check nothing is kept after it.
            assertThat(cost.heapAfter() - cost.heapBefore()).as("nothing of the listing kept").isLessThan(32L << 20);
            assertThat(cost.millis()).isLessThan(60_000);
        }
    }

    private static dev.ferry.api.ListingSink sink(java.util.function.Consumer<dev.ferry.api.Entry> onEntry) {
        return new dev.ferry.api.ListingSink() {
            @Override
            public void entry(dev.ferry.api.Entry entry) {
                onEntry.accept(entry);
            }

            @Override
            public void notice(ListingNotice notice) {
            }
        };
    }

    private SyncReport download(SyncTarget from, Path dest) throws IOException {
        Files.createDirectories(dest);
        try (SyncTarget local = SyncTargets.load().open(dest.toString())) {
            return Sync.between(from, local, SyncOptions.builder().mode(SyncMode.MIRROR)
                    .retry(RetryPolicy.NONE).stateDirectory(tmp.resolve("state")).build()).run();
        }
    }
}
