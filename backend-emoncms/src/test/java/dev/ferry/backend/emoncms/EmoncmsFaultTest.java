package dev.ferry.backend.emoncms;

import static dev.ferry.backend.emoncms.EmoncmsSyncTest.T0;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.addFina;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.assertSameBytes;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.copy;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.fina;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.idOf;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.open;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.series;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncReport;
import dev.ferry.core.SyncTargets;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What goes wrong on the way, against real instances: the remote server stopped in the middle of
 * an upload and started again, a request damaged on the way (answered {@code Invalid checksum} by
 * the real server), a remote feed deleted and then recreated. Every point must arrive exactly once.
 */
class EmoncmsFaultTest {

    static EmoncmsServers.Instance local;
    static EmoncmsServers.Instance remote;

    @BeforeAll
    static void start() throws Exception {
        local = EmoncmsServers.shared().newInstance();
        remote = EmoncmsServers.shared().newInstance();
    }

    @AfterAll
    static void stop() throws Exception {
        if (local != null) {
            local.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    @Test
    void anOutageMidUploadLosesAndDuplicatesNothing() throws Exception {
        int id = fina(local, "o1", "power", 10, T0, 12_000);
        int ts = series(local, "o1", "temp", T0, 1_500);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        // Small requests, so the upload is still going when the server goes away.
        try (SyncTarget from = open(local); SyncTarget to = open(remote, Map.of("uploadBudget", "1024"))) {
            Future<SyncReport> run = pool.submit(() -> copy(from, to, "o1"));
            Path dir = remote.phpfinaDir();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!run.isDone() && largestDat(dir) < 8_000 && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertThat(run.isDone()).as("the upload was still going when the server stopped").isFalse();
            remote.stop();
            Thread.sleep(1500);
            remote.start();
            run.get();
            // Whatever the first run managed, later runs go on from what the server really holds.
            for (int i = 0; i < 3 && !copy(from, to, "o1").failures().isEmpty(); i++) {
                Thread.sleep(500);
            }
            assertSameBytes(remote.phpfinaData(idOf(remote, "o1", "power")), local.phpfinaData(id));
            assertSameBytes(remote.phptimeseriesData(idOf(remote, "o1", "temp")), local.phptimeseriesData(ts));
        } finally {
            pool.shutdownNow();
            remote.start();
        }
    }

    private static long largestDat(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".dat")).mapToLong(p -> p.toFile().length()).max().orElse(0);
        }
    }

    @Test
    void aDamagedRequestIsAnsweredInvalidChecksumAndSentAgain() throws Exception {
        int id = fina(local, "o2", "power", 10, T0, 3000);
        List<String> answers = new CopyOnWriteArrayList<>();
        AtomicBoolean damaged = new AtomicBoolean();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // A proxy in front of the real server that flips one bit of the first feed/sync body:
        // the real server's CRC check must catch it.
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.setExecutor(Executors.newFixedThreadPool(4));
        proxy.createContext("/", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            String path = x.getRequestURI().getRawPath();
            boolean sync = path.endsWith("feed/sync");
            if (sync && body.length > 30 && damaged.compareAndSet(false, true)) {
                body[25] ^= 0x10;
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(remote.baseUrl().replaceAll("/$", "") + x.getRequestURI()));
            x.getRequestHeaders().forEach((k, v) -> {
                if (k.equalsIgnoreCase("Authorization") || k.equalsIgnoreCase("Content-Type")) {
                    v.forEach(val -> b.header(k, val));
                }
            });
            b.method(x.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            try {
                HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (sync) {
                    answers.add(new String(r.body(), StandardCharsets.UTF_8));
                }
                r.headers().firstValue("Content-Type").ifPresent(t -> x.getResponseHeaders().add("Content-Type", t));
                x.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                x.getResponseBody().write(r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                x.close();
            }
        });
        proxy.start();
        String through = "emoncms://127.0.0.1:" + proxy.getAddress().getPort() + "/";
        try (SyncTarget from = open(local);
                SyncTarget to = SyncTargets.load().open(through, Map.of("apikey", remote.writeKey(), "uploadBudget", "4096"))) {
            SyncReport r = copy(from, to, "o2");
            assertThat(r.failures()).isEmpty();
            assertThat(answers.get(0)).contains("Invalid checksum");
            assertThat(answers.subList(1, answers.size())).allMatch(a -> a.contains("\"success\":true"));
            assertSameBytes(remote.phpfinaData(idOf(remote, "o2", "power")), local.phpfinaData(id));
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void aRemoteFeedDeletedThenRecreatedGetsEveryPointAgain() throws Exception {
        int id = fina(local, "o3", "power", 10, T0, 600);
        try (SyncTarget from = open(local); SyncTarget to = open(remote)) {
            assertThat(copy(from, to, "o3").failures()).isEmpty();
            int first = idOf(remote, "o3", "power");
            assertThat(remote.get("feed/delete.json", Map.of("id", "" + first)).toString()).doesNotContain("false");
            assertThat(idOf(remote, "o3", "power")).isEqualTo(-1);

            addFina(local, id, 10, T0, 600, 20);
            assertThat(copy(from, to, "o3").failures()).isEmpty();
            int second = idOf(remote, "o3", "power");
            assertThat(second).isPositive().isNotEqualTo(first);
            assertSameBytes(remote.phpfinaData(second), local.phpfinaData(id));
            assertSameBytes(remote.phpfinaMeta(second), local.phpfinaMeta(id));

            // Deleted again and recreated by hand, empty and with another interval: the first
            // upload gives it the source's layout (the server takes it from the first segment).
            remote.get("feed/delete.json", Map.of("id", "" + second));
            int third = remote.createFeed("o3", "power", 5, 60);
            addFina(local, id, 10, T0, 620, 5);
            assertThat(copy(from, to, "o3").failures()).isEmpty();
            assertSameBytes(remote.phpfinaData(third), local.phpfinaData(id));
            assertSameBytes(remote.phpfinaMeta(third), local.phpfinaMeta(id));
        }
    }
}
