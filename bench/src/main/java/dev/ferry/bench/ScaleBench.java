package dev.ferry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code --scale}: how the engine's time and heap grow with the number of entries. Each Ferry
 * figure comes from {@code dev.ferry.testkit.engine.ScaleProbe}, run in its own JVM (Serial GC)
 * so that its time is engine time (no JVM start) and its heap is its own; rclone is timed as a
 * process on the same trees in the same run. Pairs:
 *
 * <ul>
 *   <li>{@code synthetic}: a generated source of N files into an empty generated destination
 *       (initial plan), and into an identical one whose listing has no times, twice (the
 *       second is the no-op with the record of copies the first left). Nothing on disk, so it
 *       reaches 10,000,000.</li>
 *   <li>{@code local}: N small files on disk into an empty local directory: dry run, the copy,
 *       then the no-op re-sync; rclone the same ({@code sync --dry-run}, {@code sync}, {@code sync}).</li>
 *   <li>{@code s3} (with {@code --target s3}): the same into S3Proxy.</li>
 * </ul>
 */
final class ScaleBench {
    private static final String PROBE = "dev.ferry.testkit.engine.ScaleProbe";

    private final Options o;
    private final Log log = new Log();
    private final Runner runner;
    private final Path work;
    private final Path logDir;
    private final Map<String, List<Row>> rows = new LinkedHashMap<>();

    /** One measured cell: a tool's scenario at one size, over the runs. */
    record Row(String pair, long entries, String scenario, String tool, List<Double> seconds, long bytes,
            boolean heap) {
        double median() {
            List<Double> s = new ArrayList<>(seconds);
            s.sort(null);
            int n = s.size();
            return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        }
    }

    ScaleBench(Options o) {
        this.o = o;
        this.runner = new Runner(o.timeBin, Duration.ofSeconds(o.timeoutSeconds));
        this.work = o.work.toAbsolutePath().normalize();
        this.logDir = work.resolve("logs");
    }

    /** Runs every size and writes the report and chart; returns the report. */
    Path run() throws IOException, InterruptedException {
        if (o.engineClasspath == null) {
            throw new IllegalArgumentException("--scale needs --engine-cp (bench/run.sh sets it)");
        }
        Files.createDirectories(logDir);
        Instant started = Instant.now();
        String loadBefore = MachineInfo.loadAverage();
        Path rcloneConf = work.resolve("rclone.conf");
        try (TargetPair s3 = o.target.equals("s3") ? TargetPair.create("s3", work) : null) {
            if (s3 != null) {
                s3.start(); // before its rclone remote is written: the remote names the server's port
            }
            Files.writeString(rcloneConf, s3 == null ? "" : s3.rcloneConfig(), StandardCharsets.UTF_8);
            for (long n : o.scaleSizes) {
                for (int r = 0; r < o.runs; r++) {
                    synthetic(n, r);
                    if (n <= o.scaleRealMax) {
                        Path src = ScaleDataset.ensure(work.resolve("data").resolve("scale-" + n), n, log);
                        real("local", n, src, new Destination(null, null, work.resolve("dst/scale/" + n + "-ferry")),
                                new Destination(null, null, work.resolve("dst/scale/" + n + "-rclone")), Map.of(),
                                rcloneConf);
                        if (s3 != null) {
                            real("s3", n, src, s3.destination("scale-" + n + "-ferry"),
                                    s3.destination("scale-" + n + "-rclone"), s3.toolEnv(), rcloneConf);
                        }
                    }
                }
            }
        }
        return write(started, loadBefore);
    }

    private void synthetic(long n, int round) throws IOException, InterruptedException {
        log.info("synthetic %,d: initial plan (round %d)", n, round + 1);
        Path state = work.resolve("scale-state");
        Fs.deleteRecursively(state);
        List<Map<String, String>> plan = probe("synthetic:" + n, "synthetic:0", state, "plan", Map.of(),
                "synthetic-" + n + "-plan");
        add("synthetic", n, "initial plan (dry run)", plan.get(0));
        log.info("synthetic %,d: no-op with remembered state (round %d)", n, round + 1);
        Fs.deleteRecursively(state);
        List<Map<String, String>> noop = probe("synthetic:" + n, "synthetic:" + n + "?listsModTimes=false", state,
                "run,run", Map.of(), "synthetic-" + n + "-noop");
        add("synthetic", n, "first run over equal trees (stats every file)", noop.get(0));
        add("synthetic", n, "no-op re-sync, remembered state", noop.get(1));
    }

    private void real(String pair, long n, Path src, Destination ferryDst, Destination rcloneDst,
            Map<String, String> env, Path rcloneConf) throws IOException, InterruptedException {
        log.info("%s %,d: ferry engine", pair, n);
        ferryDst.clear();
        Path state = work.resolve("scale-state");
        Fs.deleteRecursively(state);
        String dst = ferryDst.ferryUri() != null ? ferryDst.ferryUri() : ferryDst.view().toString();
        List<Map<String, String>> steps = probe(src.toString(), dst, state, "plan,run,run", env,
                pair + "-" + n + "-ferry");
        add(pair, n, "initial plan (dry run)", steps.get(0));
        add(pair, n, "initial sync (plan + copy)", steps.get(1));
        add(pair, n, "no-op re-sync" + (pair.equals("local") ? "" : ", remembered state"), steps.get(2));
        checkSame(src, ferryDst.view(), n, "ferry");

        log.info("%s %,d: rclone", pair, n);
        rcloneDst.clear();
        String rdst = rcloneDst.rcloneSpec() != null ? rcloneDst.rcloneSpec() : rcloneDst.view().toString();
        String[][] scenarios = {
            {"initial plan (dry run)", "--dry-run"}, {"initial sync (plan + copy)", null}, {"no-op re-sync", null}};
        for (String[] sc : scenarios) {
            List<String> cmd = new ArrayList<>(Words.split(o.rclone));
            cmd.addAll(List.of("sync", src.toString(), rdst, "--config", rcloneConf.toString()));
            if (sc[1] != null) {
                cmd.add(sc[1]);
            }
            Runner.syncFilesystems();
            Runner.Sample s = runner.run(cmd, Set.of("AWS_CA_BUNDLE"), logDir.resolve(pair + "-" + n + "-rclone.log"));
            String scenario = pair.equals("local") || !sc[0].startsWith("no-op") ? sc[0] : sc[0] + ", remembered state";
            addRow(new Row(pair, n, scenario, "rclone (process)", List.of(s.seconds()), s.peakRssKiB() * 1024, false));
        }
        checkSame(src, rcloneDst.view(), n, "rclone");
    }

    /** The destination holds as many files as the source: a cheap check that the copy happened. */
    private static void checkSame(Path src, Path view, long n, String tool) throws IOException {
        long count;
        try (var s = Files.walk(view)) {
            count = s.filter(Files::isRegularFile).count();
        }
        if (count != n) {
            throw new BenchFailure(tool + " left " + count + " files in " + view + ", the source has " + n);
        }
    }

    private List<Map<String, String>> probe(String src, String dst, Path state, String steps, Map<String, String> env,
            String name) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("java", "-XX:+UseSerialGC", "-Xmx" + o.scaleHeap,
                "-cp", o.engineClasspath, PROBE, src, dst, state.toString(), steps));
        Path logFile = logDir.resolve("scale-" + name + ".log");
        Runner.syncFilesystems();
        runner.run(cmd, Set.of(), env, logFile);
        List<Map<String, String>> out = parse(Files.readAllLines(logFile, StandardCharsets.UTF_8));
        if (out.size() != steps.split(",").length) {
            throw new BenchFailure("the probe printed " + out.size() + " steps for " + steps + ":\n" + Runner.tail(logFile));
        }
        for (Map<String, String> m : out) {
            if (!m.get("failures").equals("0")) {
                throw new BenchFailure("the engine reported " + m.get("failures") + " failures: " + m);
            }
        }
        return out;
    }

    /** The probe's {@code step=... ms=...} lines. */
    static List<Map<String, String>> parse(List<String> lines) {
        List<Map<String, String>> out = new ArrayList<>();
        for (String l : lines) {
            if (!l.startsWith("step=")) {
                continue;
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (String kv : l.strip().split(" ")) {
                int eq = kv.indexOf('=');
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            out.add(m);
        }
        return out;
    }

    private void add(String pair, long n, String scenario, Map<String, String> step) {
        long heap = Math.max(0, Long.parseLong(step.get("peakBytes")) - Long.parseLong(step.get("baselineBytes")));
        addRow(new Row(pair, n, scenario, "ferry (engine)", List.of(Long.parseLong(step.get("ms")) / 1000.0), heap, true));
    }

    /** Adds a run; a second run of the same cell joins its times and keeps the larger memory. */
    private void addRow(Row r) {
        String key = r.pair() + "|" + r.entries() + "|" + r.scenario() + "|" + r.tool();
        rows.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }

    private List<Row> merged() {
        List<Row> out = new ArrayList<>();
        for (List<Row> rs : rows.values()) {
            List<Double> secs = new ArrayList<>();
            long bytes = 0;
            for (Row r : rs) {
                secs.addAll(r.seconds());
                bytes = Math.max(bytes, r.bytes());
            }
            Row f = rs.get(0);
            out.add(new Row(f.pair(), f.entries(), f.scenario(), f.tool(), secs, bytes, f.heap()));
        }
        return out;
    }

    private Path write(Instant started, String loadBefore) throws IOException {
        List<Row> all = merged();
        StringBuilder md = new StringBuilder("# Ferry bench: cost curves (--scale)\n\n");
        md.append("- Run: ").append(DateTimeFormatter.ISO_INSTANT.format(started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
                .append(" · ").append(o.runs).append(" run(s) per cell · load average at start: ").append(loadBefore)
                .append(", at end: ").append(MachineInfo.loadAverage()).append(" (on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores)\n");
        md.append("- ferry (engine): `java -XX:+UseSerialGC -Xmx").append(o.scaleHeap).append(" -cp <ferry.jar:testkit> ")
                .append(PROBE).append("`; time is the engine's wall time inside that JVM (no JVM start); heap is the")
                .append(" largest heap in use after any GC during the step, or after a forced GC at its end with its result")
                .append(" held, minus the heap in use before it.\n");
        md.append("- rclone (process): `").append(o.rclone).append(" sync SRC DST [--dry-run]` with its defaults; time is")
                .append(" the process's wall time, memory its peak RSS (GNU time %M). Not the same measure as the engine's")
                .append(" heap: rclone's RSS includes its runtime.\n\n");
        md.append("| pair | entries | scenario | tool | median s | runs s | µs per entry | memory | bytes per entry |"
                + " ratio ferry/rclone |\n|---|---:|---|---|---:|---|---:|---:|---:|---:|\n");
        ScaleChart chart = new ScaleChart();
        for (Row r : all) {
            Row peer = null;
            if (r.tool().startsWith("ferry")) {
                for (Row q : all) {
                    if (q.tool().startsWith("rclone") && q.pair().equals(r.pair()) && q.entries() == r.entries()
                            && q.scenario().equals(r.scenario())) {
                        peer = q;
                    }
                }
            }
            double bpe = (double) r.bytes() / r.entries();
            md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %.3f | %s | %.2f | %s %.1f MiB | %.0f | %s |%n",
                    r.pair(), r.entries(), r.scenario(), r.tool(), r.median(),
                    String.join(", ", r.seconds().stream().map(s -> String.format(Locale.ROOT, "%.3f", s)).toList()),
                    r.median() * 1e6 / r.entries(), r.heap() ? "heap" : "RSS", r.bytes() / 1048576.0, bpe,
                    peer == null ? "" : String.format(Locale.ROOT, "%.2f", r.median() / peer.median())));
            if (!r.scenario().startsWith("first run")) {
                String series = r.pair() + ", " + r.scenario() + ", " + r.tool();
                chart.time(series, r.entries(), r.median());
                if (r.heap()) {
                    chart.bytesPerEntry(series, r.entries(), bpe);
                }
            }
        }
        md.append("\nChart: time and heap per entry against entries, ");
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        String base = "scale" + (o.quick ? "-quick-" : "-") + stamp;
        md.append("[").append(base).append(".svg](").append(base).append(".svg)\n");
        Files.createDirectories(o.results);
        Path file = o.results.resolve(base + ".md");
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
        Files.writeString(o.results.resolve(base + ".svg"), chart.svg("Ferry --scale, " + stamp + " UTC"),
                StandardCharsets.UTF_8);
        System.out.print(md);
        log.info("report written to %s", file.toAbsolutePath());
        return file;
    }
}
