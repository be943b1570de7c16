package dev.ferry.serve;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;

/** Talks to a running server as a client would: HTTP with or without the token, the event stream. */
final class ServeFixture {

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String base;
    final String token;

    ServeFixture(FerryServer server) {
        this.base = server.url();
        this.token = server.token().value();
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> json(HttpResponse<String> r) {
        return (Map<String, Object>) Json.parse(r.body());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> destination(String job, String destination) throws Exception {
        Map<String, Object> j = json(get("/api/jobs/" + job, null));
        for (Object d : (List<Object>) j.get("destinations")) {
            Map<String, Object> m = (Map<String, Object>) d;
            if (m.get("name").equals(destination)) {
                return m;
            }
        }
        throw new AssertionError("no destination " + destination + " in " + j);
    }

    /** The event stream's data objects, as they arrive. */
    BlockingQueue<Map<String, Object>> events() throws Exception {
        return events(0);
    }

    /** The stream, replaying the kept events after {@code lastEventId} (0: from now). */
    BlockingQueue<Map<String, Object>> events(long lastEventId) throws Exception {
        BlockingQueue<Map<String, Object>> q = new LinkedBlockingQueue<>();
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + "/api/events")).GET();
        if (lastEventId > 0) {
            rb.header("Last-Event-ID", String.valueOf(lastEventId));
        }
        HttpRequest req = rb.build();
        HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new AssertionError("events: " + r.statusCode());
        }
        Thread t = new Thread(() -> {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("data: ")) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> m = (Map<String, Object>) Json.parse(line.substring(6));
                        q.add(m);
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }, "test-sse");
        t.setDaemon(true);
        t.start();
        return q;
    }

    static void await(String what, Duration max, BooleanSupplier done) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static List<Map<String, Object>> drain(BlockingQueue<Map<String, Object>> q) {
        List<Map<String, Object>> out = new ArrayList<>();
        q.drainTo(out);
        return out;
    }
}
