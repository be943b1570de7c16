package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry serve} in a JVM of its own, steered by {@code ferry rc}, stopped by SIGTERM. */
class ServeAndRcTest {

    @TempDir
    Path tmp;

    final Map<String, String> env = new HashMap<>();

    CliResult ferry(String... args) {
        return CliResult.run(env::get, args);
    }

    @Test
    void serveRunsTheJobsRcSteersThemAndSigtermStopsCleanly() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("photos"));
        Path dst = tmp.resolve("backup");
        Files.writeString(src.resolve("a.jpg"), "photo a");
        Path conf = tmp.resolve("ferry.conf");
        Files.writeString(conf, "[job photos]\nsource = " + src + "\ndestination = " + dst + "\nmode = copy\n");
        Path jar = TestLauncher.jar(tmp);
        Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "serve", "--config", conf.toString(), "--addr", "127.0.0.1:0").start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(serve.getErrorStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    lines.add(l);
                }
            } catch (java.io.IOException ignored) {
                // ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            String url = null;
            StringBuilder seen = new StringBuilder();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (url == null || seen.indexOf("#token=") < 0) {
                String l = lines.poll(1, TimeUnit.SECONDS);
                assertThat(System.nanoTime()).as("serve did not start: " + seen).isLessThan(end);
                if (l != null) {
                    seen.append(l).append('\n');
                    Matcher m = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)").matcher(l);
                    if (m.find()) {
                        url = m.group(1);
                    }
                }
            }
            Path tokenFile = tmp.resolve("serve.token");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
            assertThat(seen.toString()).contains("new API token written to " + tokenFile,
                    "#token=" + Files.readString(tokenFile).strip());

            CliResult jobs = ferry("rc", "jobs", "--addr", url, "--config", conf.toString());
            assertThat(jobs.code()).as(jobs.err()).isZero();
            assertThat(jobs.out()).contains("photos", "local", "idle", "never");
            assertThat(ferry("rc", "jobs", "--json", "--addr", url).out()).startsWith("{\"jobs\":[{\"name\":\"photos\"");

            assertThat(ferry("rc", "run", "photos", "--addr", url, "--config", conf.toString()).code()).isZero();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(dst.resolve("a.jpg")) && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(Files.readString(dst.resolve("a.jpg"))).isEqualTo("photo a");

            Files.writeString(src.resolve("b.jpg"), "photo b");
            CliResult push = ferry("rc", "push", "photos", "b.jpg", "--addr", url, "--config", conf.toString());
            assertThat(push.code()).as(push.err()).isZero();
            assertThat(push.out()).contains("local: pushed b.jpg");
            assertThat(Files.readString(dst.resolve("b.jpg"))).isEqualTo("photo b");

            assertThat(ferry("rc", "pause", "photos", "--addr", url, "--config", conf.toString()).out()).contains("paused photos");
            assertThat(ferry("rc", "jobs", "--addr", url, "--config", conf.toString()).out()).contains("paused");
            CliResult refused = ferry("rc", "run", "photos", "--addr", url, "--config", conf.toString());
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.err()).contains("409", "paused");
            assertThat(ferry("rc", "resume", "photos", "--addr", url, "--config", conf.toString()).out()).contains("resumed");

            Path wrong = tmp.resolve("wrong.token");
            Files.writeString(wrong, "not-the-token-at-all");
            CliResult denied = ferry("rc", "pause", "photos", "--addr", url, "--token-file", wrong.toString());
            assertThat(denied.code()).isEqualTo(2);
            assertThat(denied.err()).contains("401");
            assertThat(ferry("rc", "jobs", "--addr", url, "--config", conf.toString()).out()).doesNotContain("paused");

            CliResult second = ferry("serve", "--config", conf.toString(), "--addr", "127.0.0.1:0");
            assertThat(second.code()).isEqualTo(2);
            assertThat(second.err()).contains("another ferry serve is already running");

            CliResult nobody = ferry("rc", "jobs", "--addr", "127.0.0.1:1");
            assertThat(nobody.code()).isEqualTo(4);
            assertThat(nobody.err()).contains("no ferry serve answers");
        } finally {
            serve.destroy(); // SIGTERM
            assertThat(serve.waitFor(40, TimeUnit.SECONDS)).isTrue();
        }
        // A shutdown hook ran: the JVM exits 143 on SIGTERM, and the lock is free for the next start.
        assertThat(serve.exitValue()).isIn(0, 143);
        try (var ch = java.nio.channels.FileChannel.open(tmp.resolve(".ferry.conf.serve.lock"),
                java.nio.file.StandardOpenOption.WRITE); var lock = ch.tryLock()) {
            assertThat(lock).isNotNull();
        }
    }
}
