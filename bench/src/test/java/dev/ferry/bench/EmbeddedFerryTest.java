package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "ferry (embedded)" server and its client, against {@link StandInFerry} (no real Ferry): the
 * request/reply protocol, what a reply carries, failures, and that the server JVM goes away.
 */
class EmbeddedFerryTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static List<Path> classpath() throws URISyntaxException {
        return List.of(EmbeddedRunner.benchClasses(),
                Path.of(StandInFerry.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    }

    private static EmbeddedRunner start(Path dir, Map<String, String> env) throws Exception {
        return EmbeddedRunner.start(classpath(), StandInFerry.class.getName(), env, Set.of(), dir.resolve("server.log"), TIMEOUT);
    }

    @Test
    void protocol_round_trips_requests_and_replies() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        EmbeddedFerry.Request req = new EmbeddedFerry.Request(List.of("sync", "/src dir/ä", "s3://b/p", ""), Path.of("/w/l og.log"));
        EmbeddedFerry.writeRequest(out, req);
        EmbeddedFerry.Reply reply = new EmbeddedFerry.Reply(3, 1_234_567_890L, 98_765L, "threw x");
        EmbeddedFerry.writeReply(out, reply);
        EmbeddedFerry.writeHello(out, "tok");

        DataInputStream in = new DataInputStream(new ByteArrayInputStream(buf.toByteArray()));
        assertThat(EmbeddedFerry.readRequest(in)).isEqualTo(req);
        assertThat(EmbeddedFerry.readReply(in)).isEqualTo(reply);
        assertThat(EmbeddedFerry.readString(in)).isEqualTo(EmbeddedFerry.MAGIC);
        assertThat(EmbeddedFerry.readString(in)).isEqualTo("tok");
        assertThatThrownBy(() -> EmbeddedFerry.readRequest(in)).isInstanceOf(EOFException.class);
    }

    @Test
    void protocol_rejects_bad_counts_and_lengths() {
        assertThatThrownBy(() -> EmbeddedFerry.readRequest(input(-1)))
                .isInstanceOf(IOException.class).hasMessageContaining("bad argument count");
        assertThatThrownBy(() -> EmbeddedFerry.readRequest(input(EmbeddedFerry.MAX_ARGS + 1)))
                .isInstanceOf(IOException.class).hasMessageContaining("bad argument count");
        assertThatThrownBy(() -> EmbeddedFerry.readRequest(input(1, -5)))
                .isInstanceOf(IOException.class).hasMessageContaining("bad string length");
        assertThatThrownBy(() -> EmbeddedFerry.readRequest(input(1, 10))) // promises 10 bytes, sends none
                .isInstanceOf(EOFException.class);
    }

    private static DataInputStream input(int... ints) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        for (int i : ints) {
            out.writeInt(i);
        }
        return new DataInputStream(new ByteArrayInputStream(buf.toByteArray()));
    }

    @Test
    void peak_rss_is_vmhwm_from_proc_status() {
        assertThat(EmbeddedFerry.parseVmHwmKiB("Name:\tjava\nVmPeak:\t 5000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 100 kB\n"))
                .isEqualTo(123456);
        assertThat(EmbeddedFerry.parseVmHwmKiB("Name:\tjava\n")).isEqualTo(-1);
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            assertThat(EmbeddedFerry.peakRssKiB()).isPositive();
        }
    }

    @Test
    void entry_point_must_be_a_static_int_run_method() throws Exception {
        assertThat(EmbeddedFerry.entryPoint(StandInFerry.class.getName()).getDeclaringClass()).isEqualTo(StandInFerry.class);
        assertThatThrownBy(() -> EmbeddedFerry.entryPoint(String.class.getName())).isInstanceOf(NoSuchMethodException.class);
        assertThatThrownBy(() -> EmbeddedFerry.entryPoint("no.such.Main")).isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void one_jvm_runs_every_request_and_replies_with_exit_cpu_and_peak_rss(@TempDir Path dir) throws Exception {
        try (EmbeddedRunner r = start(dir, Map.of("STANDIN_VALUE", "from the pair"))) {
            assertThat(r.command()).contains("-XX:+UseSerialGC", EmbeddedFerry.class.getName(), "--entry",
                    StandInFerry.class.getName());
            assertThat(r.startSeconds()).isPositive();
            long pid = r.pid();

            Path log1 = dir.resolve("echo.log");
            Runner.Sample echo = r.run(List.of("echo", "a b", "ä"), log1);
            assertThat(echo.seconds()).isPositive();
            assertThat(echo.peakRssKiB()).isGreaterThan(1024);
            assertThat(echo.cpuSeconds()).isGreaterThanOrEqualTo(0);
            assertThat(Files.readString(log1, StandardCharsets.UTF_8))
                    .contains("out: echo|a b|ä", "err: to stderr", "stray: System.out");

            Path log2 = dir.resolve("env.log");
            r.run(List.of("env", "STANDIN_VALUE"), log2);
            assertThat(Files.readString(log2)).contains("STANDIN_VALUE=from the pair");

            Runner.Sample burn = r.run(List.of("burn", "400"), dir.resolve("burn.log"));
            assertThat(burn.cpuSeconds()).as("the server's CPU time for this request").isGreaterThan(0.3);
            assertThat(burn.seconds()).isGreaterThanOrEqualTo(0.4);

            Runner.Sample sleep = r.run(List.of("sleep", "400"), dir.resolve("sleep.log"));
            assertThat(sleep.seconds()).as("wall time is the round trip").isGreaterThanOrEqualTo(0.4);
            assertThat(sleep.cpuSeconds()).as("sleeping costs no CPU").isLessThan(0.3);
            assertThat(sleep.peakRssKiB()).as("a high-water mark").isGreaterThanOrEqualTo(echo.peakRssKiB());

            Path failLog = dir.resolve("exit.log");
            assertThatThrownBy(() -> r.run(List.of("exit", "3"), failLog)).isInstanceOf(BenchFailure.class)
                    .hasMessageContaining("exit status 3: ferry (embedded) exit 3").hasMessageContaining("failing with 3");

            Path throwLog = dir.resolve("throw.log");
            assertThatThrownBy(() -> r.run(List.of("throw"), throwLog)).isInstanceOf(BenchFailure.class)
                    .hasMessageContaining("exit status -1 (threw java.lang.IllegalStateException: stand-in blew up)");
            assertThat(Files.readString(throwLog)).contains("IllegalStateException", "at dev.ferry.bench.StandInFerry.run");

            assertThat(r.run(List.of("echo"), dir.resolve("again.log")).seconds()).as("a failed command leaves the server up")
                    .isPositive();
            assertThat(r.pid()).isEqualTo(pid);
            assertThat(Files.readString(dir.resolve("server.log"))).contains("echo a b ä -> exit 0");
        }
    }

    @Test
    void a_dying_server_fails_the_run_with_its_log_and_close_stops_it_by_pid(@TempDir Path dir) throws Exception {
        EmbeddedRunner r = start(dir, Map.of());
        ProcessHandle server = ProcessHandle.of(r.pid()).orElseThrow();
        r.run(List.of("echo"), dir.resolve("ok.log"));
        assertThatThrownBy(() -> r.run(List.of("halt"), dir.resolve("halt.log"))).isInstanceOf(BenchFailure.class)
                .hasMessageContaining("the server JVM died (exit status 7) during: ferry (embedded) halt")
                .hasMessageContaining("last lines of " + dir.resolve("server.log"))
                .hasMessageContaining("EmbeddedFerry: dev.ferry.bench.StandInFerry.run on 127.0.0.1:")
                .hasMessageContaining("stand-in halting the JVM");
        assertThat(server.isAlive()).isFalse();
        assertThatThrownBy(() -> r.run(List.of("echo"), dir.resolve("after.log"))).isInstanceOf(BenchFailure.class)
                .hasMessageContaining("the server is gone");
        r.close();

        EmbeddedRunner r2 = start(dir, Map.of());
        ProcessHandle server2 = ProcessHandle.of(r2.pid()).orElseThrow();
        r2.close();
        assertThat(server2.onExit().get(15, TimeUnit.SECONDS).isAlive()).isFalse();
        r2.close(); // idempotent
    }

    @Test
    void a_connection_without_the_token_is_turned_away(@TempDir Path dir) throws Exception {
        Process p = startRaw(dir, "the-token");
        try {
            int port = Integer.parseInt(Files.readString(dir.resolve("port")).strip());
            Path intruderLog = dir.resolve("intruder.log");
            for (String[] hello : new String[][] {{EmbeddedFerry.MAGIC, "not-the-token"}, {"something-else/1", "the-token"}}) {
                try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
                    s.setSoTimeout(20_000);
                    ByteArrayOutputStream buf = new ByteArrayOutputStream();
                    DataOutputStream out = new DataOutputStream(buf);
                    EmbeddedFerry.writeString(out, hello[0]);
                    EmbeddedFerry.writeString(out, hello[1]);
                    EmbeddedFerry.writeRequest(out, new EmbeddedFerry.Request(List.of("echo"), intruderLog));
                    try {
                        s.getOutputStream().write(buf.toByteArray()); // one write: the server may hang up at once
                    } catch (IOException e) {
                        // it did
                    }
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    assertThatThrownBy(() -> EmbeddedFerry.readString(in)).as("closed without an answer")
                            .isInstanceOf(IOException.class);
                }
            }
            assertThat(intruderLog).doesNotExist();
            try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
                s.setSoTimeout(20_000);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                DataInputStream in = new DataInputStream(s.getInputStream());
                EmbeddedFerry.writeHello(out, "the-token");
                assertThat(EmbeddedFerry.readString(in)).isEqualTo("ok");
                EmbeddedFerry.writeRequest(out, new EmbeddedFerry.Request(List.of("exit", "5"), dir.resolve("ok.log")));
                assertThat(EmbeddedFerry.readReply(in).exit()).isEqualTo(5);
            }
            assertThat(Files.readString(dir.resolve("out.log"))).contains("rejected a connection");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void a_missing_entry_class_fails_at_start_with_the_server_log(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> EmbeddedRunner.start(classpath(), "no.such.Main", Map.of(), Set.of(), dir.resolve("server.log"), TIMEOUT))
                .isInstanceOf(BenchFailure.class)
                .hasMessageContaining("the server JVM did not start (exit status 1)")
                .hasMessageContaining("ClassNotFoundException: no.such.Main");
    }

    @Test
    void the_server_exits_when_its_stdin_ends(@TempDir Path dir) throws Exception {
        Process p = startRaw(dir, "t");
        try {
            p.getOutputStream().close(); // as if the harness had been killed
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    /** The server without its client: port in dir/port, output in dir/out.log. */
    private static Process startRaw(Path dir, String token) throws Exception {
        Path portFile = dir.resolve("port");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                String.join(java.io.File.pathSeparator, classpath().stream().map(Path::toString).toList()),
                EmbeddedFerry.class.getName(), "--port-file", portFile.toString(), "--entry", StandInFerry.class.getName())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
        pb.environment().put(EmbeddedFerry.TOKEN_ENV, token);
        Process p = pb.start();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!Files.exists(portFile) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (!Files.exists(portFile)) {
            p.destroyForcibly();
            throw new AssertionError("server did not start: " + Files.readString(dir.resolve("out.log")));
        }
        return p;
    }
}
