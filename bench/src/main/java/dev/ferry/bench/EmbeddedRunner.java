package dev.ferry.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The harness's side of "ferry (embedded)": starts one {@link EmbeddedFerry} JVM, then times each
 * command as the round trip of one request (no process start), taking CPU time and peak RSS from
 * the reply. The server is stopped by its PID in {@link #close}; if it dies, the run fails with
 * its log's last lines.
 */
final class EmbeddedRunner implements AutoCloseable {
    /** How long the server JVM may take to start listening. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process server;
    private final Path serverLog;
    private final Duration timeout;
    private final List<String> command;
    private final double startSeconds;
    private Socket socket;
    private DataInputStream in;
    private DataOutputStream out;
    private boolean broken;

    private EmbeddedRunner(Process server, Path serverLog, Duration timeout, List<String> command, double startSeconds) {
        this.server = server;
        this.serverLog = serverLog;
        this.timeout = timeout;
        this.command = List.copyOf(command);
        this.startSeconds = startSeconds;
    }

    /**
     * Starts the server JVM ({@code java -XX:+UseSerialGC -cp CLASSPATH dev.ferry.bench.EmbeddedFerry})
     * and connects to it.
     *
     * @param classpath Ferry's jar and the bench classes (their directory or jar: {@link #benchClasses()})
     * @param entryClass the class whose static {@code run(String[], PrintStream, PrintStream)} runs a command
     * @param env set on the server process (what the tool's runs need: FERRY_CONFIG, say)
     * @param unsetEnv removed from the server's environment
     * @param serverLog the server's own stdout and stderr
     * @param timeout per-request limit
     */
    static EmbeddedRunner start(List<Path> classpath, String entryClass, Map<String, String> env, Set<String> unsetEnv,
            Path serverLog, Duration timeout) throws IOException, InterruptedException {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        Path portFile = serverLog.resolveSibling(serverLog.getFileName() + ".port");
        Files.deleteIfExists(portFile);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-cp",
                classpath.stream().map(p -> p.toAbsolutePath().toString()).collect(Collectors.joining(java.io.File.pathSeparator)),
                EmbeddedFerry.class.getName(), "--port-file", portFile.toString()));
        if (!entryClass.equals(EmbeddedFerry.DEFAULT_ENTRY)) {
            cmd.addAll(List.of("--entry", entryClass));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(serverLog.toFile());
        // stdin stays a pipe the server watches: when this JVM goes, however it goes, so does the server.
        unsetEnv.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        pb.environment().put(EmbeddedFerry.TOKEN_ENV, token);
        long t0 = System.nanoTime();
        Process p = pb.start();
        EmbeddedRunner r = null;
        try {
            long deadline = t0 + START_TIMEOUT.toNanos();
            while (!Files.exists(portFile)) {
                if (!p.isAlive()) {
                    throw new BenchFailure("ferry (embedded): the server JVM did not start (exit status " + p.exitValue()
                            + "): " + String.join(" ", cmd) + "\n--- last lines of " + serverLog + " ---\n" + Runner.tail(serverLog));
                }
                if (System.nanoTime() > deadline) {
                    throw new BenchFailure("ferry (embedded): the server JVM did not listen within " + START_TIMEOUT.toSeconds()
                            + " s\n--- last lines of " + serverLog + " ---\n" + Runner.tail(serverLog));
                }
                Thread.sleep(10);
            }
            int port = Integer.parseInt(Files.readString(portFile, StandardCharsets.UTF_8).strip());
            Files.deleteIfExists(portFile);
            r = new EmbeddedRunner(p, serverLog, timeout, cmd, (System.nanoTime() - t0) / 1e9);
            r.connect(port, token);
            return r;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (r != null) {
                r.close();
            } else {
                LoopbackServer.stop(p);
            }
            throw e;
        }
    }

    private void connect(int port, String token) throws IOException {
        socket = new Socket(InetAddress.getByName("127.0.0.1"), port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        EmbeddedFerry.writeHello(out, token);
        try {
            String answer = EmbeddedFerry.readString(in);
            if (!answer.equals("ok")) {
                throw new IOException("unexpected answer '" + answer + "'");
            }
        } catch (IOException e) {
            throw new BenchFailure("ferry (embedded): the server did not accept the connection (" + e + ")\n--- last lines of "
                    + serverLog + " ---\n" + Runner.tail(serverLog));
        }
    }

    /** The directory or jar the bench classes come from, for the server's class path. */
    static Path benchClasses() {
        try {
            return Path.of(EmbeddedFerry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot tell where the bench classes are", e);
        }
    }

    /**
     * Runs one ferry command (its arguments, e.g. {@code sync SRC DST}) in the server JVM; its output
     * goes to {@code log}. Wall time is this side's round trip; CPU and peak RSS are the server's.
     *
     * @throws BenchFailure if the command fails, times out, or the server dies
     */
    Runner.Sample run(List<String> args, Path log) throws IOException, InterruptedException {
        if (broken) {
            throw new BenchFailure("ferry (embedded): the server is gone (an earlier request failed)");
        }
        String what = "ferry (embedded) " + String.join(" ", args);
        EmbeddedFerry.Reply reply;
        long t0;
        long t1;
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
            t0 = System.nanoTime();
            EmbeddedFerry.writeRequest(out, new EmbeddedFerry.Request(args, log.toAbsolutePath()));
            reply = EmbeddedFerry.readReply(in);
            t1 = System.nanoTime();
        } catch (SocketTimeoutException e) {
            broken = true;
            close();
            throw new BenchFailure("timed out after " + timeout.toSeconds() + " s: " + what + "\n--- last lines of " + log
                    + " ---\n" + Runner.tail(log));
        } catch (IOException e) {
            broken = true;
            throw died(what, log, e);
        }
        if (reply.exit() != 0 || !reply.error().isEmpty()) {
            throw new BenchFailure("exit status " + reply.exit() + (reply.error().isEmpty() ? "" : " (" + reply.error() + ")")
                    + ": " + what + "\n--- last lines of " + log + " ---\n" + Runner.tail(log));
        }
        return new Runner.Sample((t1 - t0) / 1e9, reply.peakRssKiB(), reply.cpuNanos() / 1e9);
    }

    private BenchFailure died(String what, Path log, IOException cause) throws InterruptedException {
        boolean exited = server.waitFor(5, TimeUnit.SECONDS);
        String status = exited ? "died (exit status " + server.exitValue() + ")" : "dropped the connection (" + cause + ")";
        close();
        return new BenchFailure("ferry (embedded): the server JVM " + status + " during: " + what
                + "\n--- last lines of " + serverLog + " ---\n" + Runner.tail(serverLog)
                + "--- last lines of " + log + " ---\n" + Runner.tail(log));
    }

    /** The server's command line, for the report. */
    List<String> command() {
        return command;
    }

    /** From process start to listening, s: paid once, in no row. */
    double startSeconds() {
        return startSeconds;
    }

    long pid() {
        return server.pid();
    }

    /** Stops the server by its PID (its own process, not a name); idempotent. */
    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // going anyway
            }
        }
        try {
            server.getOutputStream().close();
        } catch (IOException e) {
            // going anyway
        }
        if (server.isAlive()) {
            LoopbackServer.stop(server);
        }
    }
}
