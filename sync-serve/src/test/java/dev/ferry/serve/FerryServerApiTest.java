package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.backend.ftp.TestServers;
import dev.ferry.core.SyncTargets;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server from a real config file: a local job and an FTP job against Apache FtpServer
 * in-process, driven over HTTP as {@code ferry rc} and the page do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FerryServerApiTest {

    @TempDir
    static Path dir;
    static TestServers.Stoppable ftp;
    static FerryServer server;
    static ServeFixture c;
    static Path config;
    static Path photos;
    static Path backup;

    @BeforeAll
    static void start() throws Exception {
        ftp = TestServers.stoppableApache();
        photos = Files.createDirectories(dir.resolve("photos"));
        backup = dir.resolve("backup");
        Files.writeString(photos.resolve("a.jpg"), "first photo");
        Files.createDirectories(photos.resolve("2024"));
        Files.writeString(photos.resolve("2024/b.jpg"), "second photo");
        config = dir.resolve("ferry.conf");
        Files.writeString(config, """
                [booth-ftp]
                url = ftp://ferry@127.0.0.1:%d/booth
                password = %s

                [job photos]
                source = %s
                destination = %s
                mode = copy
                filter = - *.tmp

                [job upload]
                source = %s
                destination = booth-ftp:
                mode = mirror
                """.formatted(ftp.server.port(), TestServers.PASSWORD, photos, backup, photos));
        server = ServeConfig.load(config, "127.0.0.1:0", null, SyncTargets.load(), System::getenv).build().start();
        c = new ServeFixture(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (ftp != null) {
            ftp.stop();
        }
    }

    @Test
    @Order(1)
    void theTokenFileIsGeneratedOwnerOnlyAndReadAgain() throws Exception {
        Path tokenFile = dir.resolve("serve.token");
        assertThat(server.token().generated()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        assertThat(Files.readString(tokenFile).strip()).isEqualTo(server.token().value());
        TokenFile.Token again = TokenFile.load(tokenFile);
        assertThat(again.generated()).isFalse();
        assertThat(again.value()).isEqualTo(server.token().value());
        assertThat(again.toString()).doesNotContain(again.value());
        Path loose = dir.resolve("loose.token");
        Files.writeString(loose, "0123456789abcdef0123");
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> TokenFile.load(loose)).hasMessageContaining("chmod 600");
    }

    @Test
    @Order(2)
    void readsListJobsHealthRemotesBackendsAndThePage() throws Exception {
        assertThat(c.json(c.get("/health", null))).containsEntry("status", "ok").containsEntry("jobs", 2L);
        Map<String, Object> jobs = c.json(c.get("/api/jobs", null));
        assertThat(jobs.get("jobs").toString()).contains("name=photos", "name=upload", "state=idle", "mode=copy",
                "mode=mirror");
        HttpResponse<String> remotes = c.get("/api/remotes", null);
        assertThat(remotes.body()).contains("booth-ftp").contains("\"password\":\"***\"")
                .doesNotContain(TestServers.PASSWORD);
        assertThat(c.get("/api/backends", null).body()).contains("\"file\"", "\"ftp\"");
        assertThat(c.get("/api/jobs/nope", null).statusCode()).isEqualTo(404);
        HttpResponse<String> page = c.get("/", null);
        assertThat(page.body()).contains("<table id=\"jobs\"");
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(page.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(c.get("/openapi.yaml", null).body()).contains("/api/jobs/{name}/push");
        assertThat(c.get("/ui/app.js", null).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void aWrongOrMissingTokenIs401AndChangesNothing() throws Exception {
        for (String bad : new String[] {null, "wrong-token-wrong-token", c.token + "x"}) {
            for (String action : List.of("run", "pause", "resume")) {
                assertThat(c.post("/api/jobs/photos/" + action, "", bad).statusCode()).isEqualTo(401);
            }
            assertThat(c.post("/api/jobs/photos/push", "{\"path\":\"a.jpg\"}", bad).statusCode()).isEqualTo(401);
        }
        Thread.sleep(300);
        assertThat(backup).doesNotExist();
        assertThat(c.destination("photos", "local")).containsEntry("state", "idle").containsEntry("lastRun", null);
        assertThat(c.json(c.get("/api/jobs/photos", null))).containsEntry("paused", false);
        // CORS stays closed; a foreign Host (DNS rebinding) is refused.
        assertThat(c.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(c.base + "/api/jobs"))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write("GET /api/jobs HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 403");
        }
    }

    @Test
    @Order(4)
    void runStreamsEventsInOrderAndMetricsMatchTheReports() throws Exception {
        BlockingQueue<Map<String, Object>> events = c.events();
        HttpResponse<String> r = c.post("/api/jobs/photos/run", "", c.token);
        assertThat(r.statusCode()).isEqualTo(202);
        List<Map<String, Object>> seen = new ArrayList<>();
        ServeFixture.await("run-ended", Duration.ofSeconds(30), () -> {
            seen.addAll(ServeFixture.drain(events));
            return seen.stream().anyMatch(e -> e.get("type").equals("run-ended"));
        });
        assertThat(Files.readString(backup.resolve("2024/b.jpg"))).isEqualTo("second photo");
        List<String> types = seen.stream().map(e -> (String) e.get("type")).toList();
        assertThat(types).containsSubsequence("run-requested", "run-started", "progress", "run-ended");
        for (int i = 1; i < seen.size(); i++) {
            assertThat((Long) seen.get(i).get("id")).isEqualTo((Long) seen.get(i - 1).get("id") + 1);
        }
        Map<String, Object> d = c.destination("photos", "local");
        assertThat(d).containsEntry("state", "idle");
        assertThat(d.get("lastReport").toString()).contains("filesCopied=2", "succeeded=true");

        // A push of one new file, then the metrics against the reports the API lists.
        Files.writeString(photos.resolve("c.jpg"), "third photo, pushed");
        HttpResponse<String> push = c.post("/api/jobs/photos/push", "{\"path\":\"c.jpg\"}", c.token);
        assertThat(push.statusCode()).isEqualTo(200);
        assertThat(push.body()).contains("\"filesCopied\":1");
        assertThat(Files.readString(backup.resolve("c.jpg"))).isEqualTo("third photo, pushed");
        assertThat(c.post("/api/jobs/photos/push", "{\"path\":\"missing.jpg\"}", c.token).statusCode()).isEqualTo(404);
        assertThat(c.post("/api/jobs/photos/push", "{\"path\":\"../../etc/passwd\"}", c.token).statusCode())
                .isEqualTo(400);
        assertThat(c.post("/api/jobs/photos/push", "not json", c.token).statusCode()).isEqualTo(400);

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> reports = (List<Map<String, Object>>) c.json(c.get("/api/jobs/photos/reports", null))
                .get("reports");
        long files = 0;
        long bytes = 0;
        for (Map<String, Object> rep : reports) {
            @SuppressWarnings("unchecked")
            Map<String, Object> report = (Map<String, Object>) rep.get("report");
            files += (Long) report.get("filesCopied");
            bytes += (Long) report.get("bytesCopied");
        }
        String metrics = c.get("/metrics", null).body();
        assertThat(metric(metrics, "ferry_files_copied_total", "photos", "local")).isEqualTo(files).isEqualTo(3);
        assertThat(metric(metrics, "ferry_bytes_copied_total", "photos", "local")).isEqualTo(bytes);
        assertThat(metrics).contains("ferry_runs_total{job=\"photos\",destination=\"local\",result=\"ok\"} 1",
                "ferry_pushes_total{job=\"photos\",destination=\"local\"} 1",
                "# TYPE ferry_run_duration_seconds summary");
    }

    @Test
    @Order(5)
    void pauseHoldsRunsAndResumeRunsThem() throws Exception {
        assertThat(c.post("/api/jobs/photos/pause", "", c.token).statusCode()).isEqualTo(200);
        assertThat(c.destination("photos", "local")).containsEntry("state", "paused");
        assertThat(c.post("/api/jobs/photos/run", "", c.token).statusCode()).isEqualTo(409);
        assertThat(c.post("/api/jobs/photos/push", "{\"path\":\"a.jpg\"}", c.token).statusCode()).isEqualTo(409);
        assertThat(c.get("/metrics", null).body()).contains("ferry_destination_state{job=\"photos\",destination=\"local\"} 3");
        assertThat(c.post("/api/jobs/photos/resume", "", c.token).statusCode()).isEqualTo(200);
        assertThat(c.destination("photos", "local")).containsEntry("state", "idle");
        assertThat(c.post("/api/jobs/photos/run", "", c.token).statusCode()).isEqualTo(202);
    }

    @Test
    @Order(6)
    void anFtpDestinationBacksOffWhileDownAndRecovers() throws Exception {
        ftp.stop();
        BlockingQueue<Map<String, Object>> events = c.events();
        assertThat(c.post("/api/jobs/upload/run", "", c.token).statusCode()).isEqualTo(202);
        ServeFixture.await("backing off", Duration.ofSeconds(60),
                () -> {
                    try {
                        return c.destination("upload", "booth-ftp").get("state").equals("backing-off");
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
        Map<String, Object> down = c.destination("upload", "booth-ftp");
        assertThat((Long) down.get("consecutiveFailures")).isGreaterThanOrEqualTo(1);
        assertThat((String) down.get("lastError")).isNotBlank().doesNotContain(TestServers.PASSWORD);
        assertThat(down.get("nextRun")).isNotNull();
        assertThat(c.get("/metrics", null).body())
                .contains("ferry_destination_state{job=\"upload\",destination=\"booth-ftp\"} 2");

        ftp.start();
        assertThat(c.post("/api/jobs/upload/run", "", c.token).statusCode()).isEqualTo(202);
        ServeFixture.await("recovered", Duration.ofSeconds(60), () -> {
            try {
                return c.destination("upload", "booth-ftp").get("state").equals("idle");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(c.destination("upload", "booth-ftp")).containsEntry("consecutiveFailures", 0L);
        assertThat(Files.readString(ftp.server.root().resolve("booth/2024/b.jpg"))).isEqualTo("second photo");
        List<Map<String, Object>> seen = ServeFixture.drain(events);
        assertThat(seen.stream().filter(e -> e.get("type").equals("run-ended")).map(e -> e.get("failed")))
                .startsWith(true).endsWith(false);
    }

    @Test
    @Order(7)
    void aSecondInstanceOnTheSameConfigIsRefused() throws Exception {
        FerryServer second = ServeConfig.load(config, "127.0.0.1:0", null, SyncTargets.load(), System::getenv).build();
        assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another ferry serve is already running");
        second.close();
        assertThat(c.get("/health", null).statusCode()).isEqualTo(200); // the first one is untouched
    }

    @Test
    @Order(8)
    void anAddressOtherThanLoopbackNeedsTls() {
        assertThatThrownBy(() -> ServeConfig.load(config, "0.0.0.0:0", dir.resolve("t2.token"), SyncTargets.load(),
                System::getenv).build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs TLS");
    }

    @Test
    @Order(9)
    void aReconnectingClientGetsTheEventsItMissedInOrder() throws Exception {
        BlockingQueue<Map<String, Object>> replay = c.events(3);
        List<Map<String, Object>> got = new ArrayList<>();
        ServeFixture.await("replayed events", Duration.ofSeconds(10), () -> {
            got.addAll(ServeFixture.drain(replay));
            return got.size() >= 5;
        });
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i).get("id")).isEqualTo(4L + i);
        }
    }

    static long metric(String text, String name, String job, String dest) {
        Matcher m = Pattern.compile(Pattern.quote(name + "{job=\"" + job + "\",destination=\"" + dest + "\"}") + " (\\d+)")
                .matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + name + " for " + job + "/" + dest + " in\n" + text);
        }
        return Long.parseLong(m.group(1));
    }

    static void sleep(long ms) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(ms);
    }
}
