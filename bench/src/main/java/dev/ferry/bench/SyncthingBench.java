package dev.ferry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Syncthing row: 1,000 small files written into a folder shared by two Syncthing nodes,
 * timed until the peer has them all, two ways on the same nodes in the same run:
 * <ul>
 *   <li><b>ferry</b>: {@code ferry sync SRC syncthing://A/FOLDER?waitForPeers=true}, which writes the
 *       files, asks A to scan exactly those paths, and returns when B has everything (the command's
 *       wall time, JVM start included);</li>
 *   <li><b>watcher</b>: the same files copied into A's folder directory, left to Syncthing's own
 *       file-system watcher (default 10 s delay), timed until B's index holds them all.</li>
 * </ul>
 * Each run uses fresh folders; the two ways alternate which goes first. Like the rest of the
 * harness this links only the JDK: the nodes are run, configured and synced with the
 * {@code ferry} command ({@code ferry syncthing run}, {@code device add}, {@code folder add}),
 * and B's state is polled over its REST API.
 *
 * <pre>
 * java -cp bench/target/classes dev.ferry.bench.SyncthingBench [--ferry CMD] [--runs N] [--files N] [--work DIR] [--results DIR]
 * </pre>
 */
public final class SyncthingBench {

    private static final Pattern LOCAL_FILES = Pattern.compile("\"localFiles\"\\s*:\\s*(\\d+)");
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([a-z-]+)\"");
    private static final Duration LIMIT = Duration.ofMinutes(10);

    private final List<String> ferry;
    private final Path work;
    private final Log log = new Log();
    private final HttpClient http = HttpClient.newHttpClient();

    private SyncthingBench(List<String> ferry, Path work) {
        this.ferry = ferry;
        this.work = work;
    }

    /** One node run by {@code ferry syncthing run}. */
    private record Node(String name, Process process, int gui, String listen, String apiKey, String id, Path home) {}

    public static void main(String[] args) throws Exception {
        String ferryCmd = "java -jar sync-cli/target/ferry.jar";
        int runs = 3;
        int files = 1000;
        Path work = Path.of("bench/work/syncthing");
        Path results = Path.of("bench/results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--ferry" -> ferryCmd = args[++i];
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--results" -> results = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Fs.deleteRecursively(work);
        Files.createDirectories(work);
        SyncthingBench bench = new SyncthingBench(List.of(ferryCmd.split(" ")), work.toAbsolutePath());
        String report = bench.run(runs, files, ferryCmd);
        Files.createDirectories(results);
        Path out = results.resolve("syncthing-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
        Files.writeString(out, report);
        System.out.println(report);
        System.err.println("report: " + out);
    }

    private String run(int runs, int files, String ferryCmd) throws Exception {
        Path source = work.resolve("source");
        writeDataset(source, files);
        Node a = start("a");
        Node b = start("b");
        try {
            cli(a, "device", "add", b.id(), "--address", b.listen(), "--name", "b");
            cli(b, "device", "add", a.id(), "--address", a.listen(), "--name", "a");
            List<Double> ferryTimes = new ArrayList<>();
            List<Double> watcherTimes = new ArrayList<>();
            for (int r = 0; r <= runs; r++) {
                boolean warmUp = r == 0;
                boolean ferryFirst = r % 2 == 1;
                for (int k = 0; k < 2; k++) {
                    boolean viaFerry = (k == 0) == ferryFirst;
                    String folder = (viaFerry ? "ferry-" : "watcher-") + r;
                    share(a, b, folder);
                    double seconds = viaFerry ? viaFerry(a, b, folder, source, files) : viaWatcher(a, b, folder, source, files);
                    log.info("%s run %d: %s %.2f s", warmUp ? "warm-up" : "measured", r, viaFerry ? "ferry" : "watcher", seconds);
                    if (!warmUp) {
                        (viaFerry ? ferryTimes : watcherTimes).add(seconds);
                    }
                }
            }
            return report(runs, files, ferryCmd, ferryTimes, watcherTimes);
        } finally {
            stop(a);
            stop(b);
        }
    }

    private double viaFerry(Node a, Node b, String folder, Path source, int files) throws Exception {
        long t0 = System.nanoTime();
        List<String> cmd = new ArrayList<>(ferry);
        cmd.addAll(List.of("sync", source.toString(), "syncthing://127.0.0.1:" + a.gui() + "/" + folder
                + "?waitForPeers=true&peerTimeout=10m", "-q"));
        int code = exec(cmd, Map.of("FERRY_SYNCTHING_APIKEY", a.apiKey()), work.resolve("ferry-" + folder + ".log"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (code != 0) {
            throw new IllegalStateException("ferry sync failed (" + code + "), see " + work.resolve("ferry-" + folder + ".log"));
        }
        if (localFiles(b, folder) < files) {
            throw new IllegalStateException("ferry returned but B has only " + localFiles(b, folder) + " files");
        }
        return seconds;
    }

    private double viaWatcher(Node a, Node b, String folder, Path source, int files) throws Exception {
        Path dest = a.home().resolve(folder);
        long t0 = System.nanoTime();
        try (var walk = Files.walk(source)) {
            for (Path p : walk.toList()) {
                Path to = dest.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (localFiles(b, folder) < files) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("B did not get the files within " + LIMIT);
            }
            Thread.sleep(50);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The folder on both nodes (B first, so A's offer meets a folder B already has), both idle. */
    private void share(Node a, Node b, String folder) throws Exception {
        Files.createDirectories(b.home().resolve(folder));
        Files.createDirectories(a.home().resolve(folder));
        cli(b, "folder", "add", folder, b.home().resolve(folder).toString(), "--share", a.id());
        cli(a, "folder", "add", folder, a.home().resolve(folder).toString(), "--share", b.id());
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!"idle".equals(state(a, folder)) || !"idle".equals(state(b, folder))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("folder " + folder + " did not become idle");
            }
            Thread.sleep(100);
        }
    }

    private Node start(String name) throws Exception {
        int gui = freePort();
        String listen = "tcp://127.0.0.1:" + freePort();
        String key = "bench" + Long.toHexString(new Random().nextLong());
        Path home = work.resolve(name);
        List<String> cmd = new ArrayList<>(ferry);
        cmd.addAll(List.of("syncthing", "run", "--home", home.toString(), "--gui", "127.0.0.1:" + gui, "--listen", listen,
                "--apikey", key, "--name", name));
        Process p = new ProcessBuilder(cmd).redirectError(work.resolve("node-" + name + ".err").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        String id = null;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("device ID ")) {
                id = line.substring("device ID ".length()).trim();
                break;
            }
        }
        if (id == null) {
            throw new IllegalStateException("node " + name + " did not start; see " + work.resolve("node-" + name + ".err"));
        }
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "drain-" + name);
        drain.setDaemon(true);
        drain.start();
        log.info("node %s: %s gui 127.0.0.1:%d listen %s", name, id.substring(0, 7), gui, listen);
        return new Node(name, p, gui, listen, key, id, home);
    }

    private void stop(Node n) throws Exception {
        try {
            cli(n, "shutdown");
        } catch (RuntimeException e) {
            log.info("shutdown of %s failed: %s", n.name(), e.getMessage());
        }
        if (!n.process().waitFor(30, TimeUnit.SECONDS)) {
            n.process().destroy();
            n.process().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void cli(Node n, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(ferry);
        cmd.add("syncthing");
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--gui", "127.0.0.1:" + n.gui()));
        Path log = work.resolve("cli.log");
        if (exec(cmd, Map.of("FERRY_SYNCTHING_APIKEY", n.apiKey()), log) != 0) {
            throw new IllegalStateException("failed: ferry syncthing " + String.join(" ", args) + " (see " + log + ")");
        }
    }

    private int exec(List<String> cmd, Map<String, String> env, Path logFile) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", cmd));
        }
        return p.exitValue();
    }

    private String status(Node n, String folder) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.gui() + "/rest/db/status?folder=" + folder))
                .header("X-API-Key", n.apiKey()).timeout(Duration.ofSeconds(30)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    private long localFiles(Node n, String folder) throws Exception {
        Matcher m = LOCAL_FILES.matcher(status(n, folder));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private String state(Node n, String folder) throws Exception {
        Matcher m = STATE.matcher(status(n, folder));
        return m.find() ? m.group(1) : "";
    }

    private static void writeDataset(Path root, int files) throws IOException {
        Random r = new Random(42);
        for (int i = 0; i < files; i++) {
            Path f = root.resolve(String.format(Locale.ROOT, "d%02d/file-%04d.txt", i % 10, i));
            Files.createDirectories(f.getParent());
            byte[] data = new byte[512 + r.nextInt(3584)];
            for (int j = 0; j < data.length; j++) {
                data[j] = (byte) ('a' + r.nextInt(26));
            }
            Files.write(f, data);
        }
    }

    private static String report(int runs, int files, String ferryCmd, List<Double> ferry, List<Double> watcher) {
        StringBuilder b = new StringBuilder();
        b.append("# Syncthing: ").append(files).append(" small files until the peer has them all\n\n");
        b.append("Two Syncthing ").append(MachineInfo.firstLine(List.of("syncthing", "--version")))
                .append(" nodes on loopback, a fresh shared folder per run (watcher on, default 10 s delay, on both).\n");
        b.append("Median of ").append(runs).append(" runs after one warm-up, ferry and watcher alternating; load average at the end: ")
                .append(MachineInfo.loadAverage()).append(" (shared machine).\n\n");
        b.append("| way | median s | min s | max s |\n|---|---:|---:|---:|\n");
        row(b, "ferry sync … syncthing://…?waitForPeers=true (explicit scan of the written paths)", ferry);
        row(b, "Syncthing's own watcher (files copied into the folder)", watcher);
        b.append("\nCommand: `java -cp bench/target/classes dev.ferry.bench.SyncthingBench --ferry \"").append(ferryCmd)
                .append("\" --runs ").append(runs).append(" --files ").append(files).append("`\n");
        return b.toString();
    }

    private static void row(StringBuilder b, String name, List<Double> times) {
        double[] v = times.stream().mapToDouble(Double::doubleValue).toArray();
        double min = times.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = times.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        b.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", name, Stats.median(v), min, max));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
