package dev.ferry.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The "ferry (embedded)" tool's server: one long-lived JVM that runs Ferry's commands in-process,
 * as a host application that embeds Ferry does, so a run pays no JVM start. Started by the harness
 * ({@link EmbeddedRunner}) once per target pair:
 *
 * <pre>java -XX:+UseSerialGC -cp ferry.jar:BENCH dev.ferry.bench.EmbeddedFerry --port-file FILE [--entry CLASS]</pre>
 *
 * It listens on a free 127.0.0.1 port, which it writes to FILE once it is ready. For each request
 * (a ferry argument vector, e.g. {@code sync SRC DST}, and a log file) it calls
 * {@code CLASS.run(String[], PrintStream, PrintStream)} (default {@code dev.ferry.cli.Main}, found
 * by reflection: the bench module does not link against Ferry) with stdout and stderr going to the
 * log, and replies with the exit code, the CPU time this process used during the request and its
 * peak RSS so far. One request at a time; the environment Ferry needs (FERRY_CONFIG) is this
 * process's own, set by the harness at start. The server exits when its stdin ends (the harness
 * keeps it open), so it never outlives the harness.
 *
 * <p>Protocol (big-endian, {@link DataOutputStream}; a string is an int byte count and UTF-8 bytes):
 * <ul>
 *   <li>client, once per connection: string {@link #MAGIC}, string token (the value of
 *       {@link #TOKEN_ENV} in the server's environment); the server answers string {@code "ok"} or
 *       closes the connection. The token keeps other local users from running commands here.</li>
 *   <li>request: int n (0 ≤ n ≤ {@link #MAX_ARGS}), n strings (the arguments), string log file.</li>
 *   <li>reply: int exit code, long CPU nanoseconds, long peak RSS KiB (-1 if unknown), string
 *       error ("" unless the entry point threw; the exit code is then -1 and the stack trace is in the log).</li>
 * </ul>
 */
public final class EmbeddedFerry {
    static final String MAGIC = "ferry-bench-embedded/1";
    static final String TOKEN_ENV = "FERRY_BENCH_EMBEDDED_TOKEN";
    static final String DEFAULT_ENTRY = "dev.ferry.cli.Main";
    static final int MAX_ARGS = 10_000;
    static final int MAX_STRING_BYTES = 1 << 20;

    private EmbeddedFerry() {
    }

    /** One command to run. */
    record Request(List<String> args, Path log) {
        Request {
            args = List.copyOf(args);
        }
    }

    /** What the server says about one command. */
    record Reply(int exit, long cpuNanos, long peakRssKiB, String error) {
    }

    // --- protocol -----------------------------------------------------------------------------

    static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_STRING_BYTES) {
            throw new IOException("protocol: bad string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static void writeHello(DataOutputStream out, String token) throws IOException {
        writeString(out, MAGIC);
        writeString(out, token);
        out.flush();
    }

    static void writeRequest(DataOutputStream out, Request r) throws IOException {
        out.writeInt(r.args().size());
        for (String a : r.args()) {
            writeString(out, a);
        }
        writeString(out, r.log().toString());
        out.flush();
    }

    static Request readRequest(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ARGS) {
            throw new IOException("protocol: bad argument count " + n);
        }
        List<String> args = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            args.add(readString(in));
        }
        return new Request(args, Path.of(readString(in)));
    }

    static void writeReply(DataOutputStream out, Reply r) throws IOException {
        out.writeInt(r.exit());
        out.writeLong(r.cpuNanos());
        out.writeLong(r.peakRssKiB());
        writeString(out, r.error());
        out.flush();
    }

    static Reply readReply(DataInputStream in) throws IOException {
        return new Reply(in.readInt(), in.readLong(), in.readLong(), readString(in));
    }

    // --- measurements -------------------------------------------------------------------------

    /** This process's CPU time (all threads: JIT and GC included), ns; -1 if the JVM does not say. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** VmHWM from /proc/self/status: this process's peak resident set so far, KiB; -1 if unknown. */
    static long peakRssKiB() {
        try {
            return parseVmHwmKiB(Files.readString(Path.of("/proc/self/status"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long parseVmHwmKiB(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.substring("VmHWM:".length()).replace("kB", "").strip());
            }
        }
        return -1;
    }

    // --- server -------------------------------------------------------------------------------

    public static void main(String[] args) {
        String entryClass = DEFAULT_ENTRY;
        Path portFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--entry" -> entryClass = args[++i];
                case "--port-file" -> portFile = Path.of(args[++i]);
                default -> {
                    System.err.println("EmbeddedFerry: unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        String token = System.getenv(TOKEN_ENV);
        if (portFile == null || token == null || token.isEmpty()) {
            System.err.println("EmbeddedFerry: needs --port-file FILE and " + TOKEN_ENV + " in the environment");
            System.exit(2);
        }
        // The harness keeps this process's stdin open and never writes to it: end of input means
        // the harness is gone (even killed), and so should this server be.
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // nothing is ever sent
                }
            } catch (IOException e) {
                // treat like the end
            }
            System.exit(0);
        }, "EmbeddedFerry-stdin-watch");
        watch.setDaemon(true);
        watch.start();
        try {
            serve(entryPoint(entryClass), portFile, token);
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            System.err.println("EmbeddedFerry: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** {@code CLASS.run(String[], PrintStream, PrintStream)}: public, static, returning int. */
    static Method entryPoint(String className) throws ReflectiveOperationException {
        Method m = Class.forName(className).getMethod("run", String[].class, PrintStream.class, PrintStream.class);
        if (!Modifier.isStatic(m.getModifiers()) || m.getReturnType() != int.class) {
            throw new NoSuchMethodException(className + ".run(String[], PrintStream, PrintStream) is not a static int method");
        }
        return m;
    }

    private static void serve(Method entry, Path portFile, String token) throws IOException {
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
            Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
            Files.writeString(tmp, Integer.toString(server.getLocalPort()), StandardCharsets.UTF_8);
            Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            System.err.println("EmbeddedFerry: " + entry.getDeclaringClass().getName() + ".run on 127.0.0.1:"
                    + server.getLocalPort() + ", pid " + ProcessHandle.current().pid());
            while (true) {
                try (Socket s = server.accept()) {
                    s.setTcpNoDelay(true);
                    connection(s, entry, token);
                } catch (IOException e) {
                    System.err.println("EmbeddedFerry: connection ended: " + e);
                }
            }
        }
    }

    private static void connection(Socket s, Method entry, String token) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
        s.setSoTimeout(10_000); // the hello comes at once; requests may be hours apart
        String magic = readString(in);
        String given = readString(in);
        if (!MAGIC.equals(magic) || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8))) {
            System.err.println("EmbeddedFerry: rejected a connection from " + s.getRemoteSocketAddress());
            return;
        }
        writeString(out, "ok");
        out.flush();
        s.setSoTimeout(0);
        while (true) {
            Request r;
            try {
                r = readRequest(in);
            } catch (EOFException e) {
                return; // the harness is done with us
            }
            Reply reply = handle(entry, r);
            writeReply(out, reply);
            // Live threads after each command: a number that keeps growing means a command leaves threads behind.
            System.err.printf(java.util.Locale.ROOT, "EmbeddedFerry: %s -> exit %d, %.3f s CPU, peak RSS %d KiB, %d live threads%n",
                    String.join(" ", r.args()), reply.exit(), reply.cpuNanos() / 1e9, reply.peakRssKiB(),
                    ManagementFactory.getThreadMXBean().getThreadCount());
        }
    }

    /** Runs one command with stdout and stderr (also System.out/err meanwhile) going to the request's log. */
    static Reply handle(Method entry, Request r) throws IOException {
        long cpu0 = processCpuNanos();
        int exit;
        String error = "";
        PrintStream sysOut = System.out;
        PrintStream sysErr = System.err;
        try (OutputStream file = Files.newOutputStream(r.log(), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                PrintStream log = new PrintStream(new BufferedOutputStream(file, 1 << 16), false, StandardCharsets.UTF_8)) {
            System.setOut(log);
            System.setErr(log);
            try {
                exit = (Integer) entry.invoke(null, (Object) r.args().toArray(String[]::new), log, log);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                cause.printStackTrace(log);
                exit = -1;
                error = "threw " + cause;
            } catch (IllegalAccessException e) {
                exit = -1;
                error = e.toString();
            } finally {
                log.flush();
                System.setOut(sysOut);
                System.setErr(sysErr);
            }
        }
        long cpu1 = processCpuNanos();
        return new Reply(exit, cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0, peakRssKiB(), error);
    }
}
