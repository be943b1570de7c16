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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every scenario of every dataset for every tool: one warm-up run, then N measured runs,
 * the tools taking turns within each round (their order rotates every round), each run verified.
 */
final class Bench {
    private static final int PROBLEM_LIMIT = 10;

    private final Options o;
    private final Log log = new Log();
    private final Runner runner;
    private final Path work;
    private final Path dataDir;
    private final Path logDir;
    private Map<String, String> toolEnv = Map.of();
    /** The pair being run. */
    private TargetPair pair;
    /** The "ferry (embedded)" server while the pair runs, with {@code --embedded}; else null. */
    private EmbeddedRunner embedded;
    /**
     * Tools that left a wrong destination in this dataset, with the scenario where they did: they
     * get a failed row there and in every later scenario of the dataset, and the run goes on.
     */
    private final Map<Tool, String> wrong = new LinkedHashMap<>();

    Bench(Options o) {
        this.o = o;
        this.runner = new Runner(o.timeBin, Duration.ofSeconds(o.timeoutSeconds));
        this.work = o.work.toAbsolutePath().normalize();
        this.dataDir = work.resolve("data");
        this.logDir = work.resolve("logs");
    }

    List<Dataset> datasets() {
        List<Dataset> ds = new ArrayList<>();
        if (o.datasets.contains("small")) {
            ds.add(Dataset.small(o.quick ? 1_000 : 10_000));
        }
        if (o.datasets.contains("large")) {
            ds.add(o.quick ? Dataset.large(2, 8 * Dataset.MIB) : Dataset.large(8, 64 * Dataset.MIB));
        }
        return ds;
    }

    /** Runs everything and returns the report file. */
    Path run() throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        Files.createDirectories(logDir);
        Path ferryJar = o.ferryJar.toAbsolutePath().normalize();
        if (o.embedded && !Files.isRegularFile(ferryJar)) {
            throw new IllegalArgumentException("--embedded needs Ferry's jar, and " + ferryJar + " is not a file"
                    + " (build it: mvn -q -pl sync-cli -am package; or pass --ferry-jar PATH)");
        }
        Path rcloneConf = work.resolve("rclone.conf");
        Instant started = Instant.now();
        try (TargetPair pair = TargetPair.create(o.target, work, o.crypt)) {
            pair.start();
            this.pair = pair;
            toolEnv = pair.toolEnv();
            Files.writeString(rcloneConf, pair.rcloneConfig(), StandardCharsets.UTF_8);
            Tool ferry = Tool.ferry(o.ferry);
            Tool rclone = Tool.rclone(o.rclone, rcloneConf);
            List<Tool> tools = o.embedded ? List.of(ferry, Tool.embeddedFerry(), rclone) : List.of(ferry, rclone);
            List<Dataset> datasets = datasets();
            // Started once per pair, after it (FERRY_CONFIG may name its server); stopped before it.
            try (EmbeddedRunner server = o.embedded ? startEmbedded(ferryJar) : null) {
                embedded = server;

                Report report = new Report("Ferry bench: " + pair.describe());
                MachineInfo.describe(report, work, ferry, rclone, rcloneConf);
                report.headerLine("- Run: " + DateTimeFormatter.ISO_INSTANT.format(started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                        + (o.quick ? " · **quick (smoke-test datasets, not for comparison with full runs)**" : "")
                        + " · " + o.runs + " measured runs per tool and scenario, after 1 warm-up run each"
                        + " · **warm cache** (page cache not dropped; `sync` before every run)"
                        + " · tools take turns, order rotating every round");
                report.headerLine("- Datasets (seed 0x" + Long.toHexString(Dataset.SEED) + "): "
                        + String.join("; ", datasets.stream().map(d -> d.name() + " = " + d.describe()).toList()));
                report.headerLine("- ferry: `" + ferry.display() + "`");
                if (server != null) {
                    report.headerLine(embeddedHeader(server));
                }
                report.headerLine("- rclone: `" + rclone.display().replace(rcloneConf.toString(), "<empty file>")
                        + "` (defaults: --transfers 4, --checkers 8; AWS_CA_BUNDLE unset)");
                if (o.datasets.contains("large")) {
                    pair.reference().ifPresent(ref -> report.headerLine("- reference: `" + ref.display()
                            + "` (large initial sync only)"));
                }

                String loadBefore = MachineInfo.loadAverage();
                for (Dataset d : datasets) {
                    runDataset(d, pair, tools, report);
                }
                report.headerLine("- Load average (1, 5, 15 min) at start: " + loadBefore + ", at end: "
                        + MachineInfo.loadAverage() + " (on " + Runtime.getRuntime().availableProcessors()
                        + " cores; other work on the machine widens min–max)");
                report.footerLine("Wall time: process start to exit as seen by the harness (JVM start included for ferry)."
                        + " Peak RSS: the largest over the measured runs of GNU time's %M, i.e. the largest single process"
                        + " of the tool's process tree (for ferry, the JVM). Ratio: ferry median / rclone median."
                        + " CPU: user + system seconds of the tool's process tree (GNU time %U + %S), median."
                        + " Every run was verified: the destination holds exactly the source's files with the same sizes;"
                        + " after an initial sync every file's content equals the source's; after a change round the changed"
                        + " files' content does; a no-op re-sync left every destination file untouched"
                        + " (size, mtime, inode, ctime). Both tools' figures come from this same run.");
                if (server != null) {
                    report.footerLine("");
                    report.footerLine("ferry (embedded): wall time is request sent to reply received (no process start);"
                            + " CPU is the long-lived JVM's process CPU time during the request (all its threads);"
                            + " peak RSS is that JVM's VmHWM after the request, a high-water mark since it started, so it"
                            + " includes every earlier scenario and dataset. Its ratio is its median / rclone's median;"
                            + " the targets apply to the CLI only. Its runs are verified like the others.");
                }

                String md = report.markdown();
                System.out.print(md);
                System.out.flush();
                Files.createDirectories(o.results);
                String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
                Path file = o.results.resolve(pair.name() + (o.quick ? "-quick-" : "-") + stamp + ".md");
                Files.writeString(file, md, StandardCharsets.UTF_8);
                log.info("report written to %s", file.toAbsolutePath());
                return file;
            } finally {
                embedded = null;
            }
        }
    }

    private EmbeddedRunner startEmbedded(Path ferryJar) throws IOException, InterruptedException {
        Path serverLog = logDir.resolve("ferry-embedded-server.log");
        log.info("starting the ferry (embedded) server JVM (its log: %s)", serverLog);
        EmbeddedRunner r = EmbeddedRunner.start(List.of(ferryJar, EmbeddedRunner.benchClasses()), EmbeddedFerry.DEFAULT_ENTRY,
                toolEnv, Tool.embeddedFerry().unsetEnv(), serverLog, Duration.ofSeconds(o.timeoutSeconds));
        log.info("ferry (embedded) server JVM listening after %.2f s, pid %d", r.startSeconds(), r.pid());
        return r;
    }

    private String embeddedHeader(EmbeddedRunner server) {
        return String.format(java.util.Locale.ROOT, "- ferry (embedded): `%s.run(sync SRC DST)` per run, in one long-lived JVM"
                + " (`java -XX:+UseSerialGC -cp %s:<bench classes> %s`, started once for the whole run, in %.2f s that no row"
                + " includes). **Its rows exclude JVM start**: they are what a host application that embeds Ferry pays per"
                + " sync once its JVM runs, not what the `ferry` command costs. The warm-up run of each scenario also warms"
                + " this JVM's JIT. **Its peak RSS column is the long-lived JVM's** high-water mark so far (VmHWM), not a"
                + " per-run figure.",
                EmbeddedFerry.DEFAULT_ENTRY, o.ferryJar, EmbeddedFerry.class.getName(), server.startSeconds());
    }

    /** One timed run: a process under GNU time, or a request to the embedded server. */
    private Runner.Sample runTool(Tool t, List<String> command, Path logFile) throws IOException, InterruptedException {
        return t.embedded() ? embedded.run(command, logFile) : runner.run(command, t.unsetEnv(), toolEnv, logFile);
    }

    private void runDataset(Dataset d, TargetPair pair, List<Tool> tools, Report report)
            throws IOException, InterruptedException {
        Path src = d.ensure(dataDir, log);
        wrong.clear();
        Map<Tool, Destination> dests = new LinkedHashMap<>();
        List<Tool> initialTools = new ArrayList<>(tools);
        if (d.kind() == Dataset.Kind.LARGE) {
            pair.reference().ifPresent(initialTools::add);
        }
        for (Tool t : initialTools) {
            dests.put(t, pair.destination(d.dirName() + "-" + slug(t)));
        }
        runScenario(Scenario.INITIAL, d, src, initialTools, dests, report);
        runScenario(Scenario.NOOP, d, src, tools, dests, report);
        if (pair.downloads()) {
            runDownload(d, src, tools, dests, report);
        }
        try {
            runScenario(Scenario.CHANGED, d, src, tools, dests, report);
        } finally {
            log.info("dataset %s: restoring the changed files", d.name());
            d.restore(dataDir, d.touchedBy(o.runs + 1));
        }
    }

    private void runScenario(Scenario sc, Dataset d, Path src, List<Tool> tools, Map<Tool, Destination> dests,
            Report report) throws IOException, InterruptedException {
        String label = sc.label(d);
        Map<Tool, List<Runner.Sample>> samples = new LinkedHashMap<>();
        tools.forEach(t -> samples.put(t, new ArrayList<>()));
        Map<Tool, String> failures = new LinkedHashMap<>();
        Tree srcTree = Tree.scan(src, false);
        int rounds = o.runs + 1;
        for (int r = 0; r < rounds; r++) {
            boolean warmUp = r == 0;
            List<String> changed = List.of();
            if (sc == Scenario.INITIAL) {
                for (Tool t : tools) {
                    dests.get(t).clear();
                }
            } else if (sc == Scenario.CHANGED) {
                changed = d.applyChange(dataDir, r + 1);
                srcTree = Tree.scan(src, false);
            }
            for (int k = 0; k < tools.size(); k++) {
                Tool t = tools.get((k + r) % tools.size());
                if (failures.containsKey(t) || wrong.containsKey(t)) {
                    continue; // its destination is wrong: later runs would measure nothing meaningful
                }
                Destination dst = dests.get(t);
                Tree before = sc == Scenario.NOOP ? Tree.scan(dst.view(), true) : null;
                Runner.syncFilesystems();
                Path logFile = logDir.resolve(d.dirName() + "-" + sc.name().toLowerCase() + "-" + slug(t) + "-" + r + ".log");
                Runner.Sample s = runTool(t, t.command(src, dst), logFile);
                String failure = verify(sc, label, t, src, srcTree, dst, before,
                        sc == Scenario.INITIAL ? srcTree.files().keySet() : changed, logFile);
                if (failure != null) {
                    failures.put(t, failure);
                    wrong.put(t, label);
                    continue;
                }
                log.info("%-34s %-16s %-8s %8.3f s %8.1f MiB %7.2f s CPU", label, t.name(), warmUp ? "warm-up" : "run " + r,
                        s.seconds(), s.peakRssKiB() / 1024.0, s.cpuSeconds());
                if (!warmUp) {
                    samples.get(t).add(s);
                }
            }
        }
        addResults(report, d, sc, samples, failures);
    }

    private void addResults(Report report, Dataset d, Scenario sc, Map<Tool, List<Runner.Sample>> samples,
            Map<Tool, String> failures) {
        samples.forEach((t, list) -> {
            String failure = failures.get(t);
            if (failure == null && wrong.containsKey(t)) {
                failure = "not run: wrong result earlier, in \"" + wrong.get(t) + "\"";
            }
            report.add(failure == null ? new Report.Result(d, sc, t.name(), list) : Report.Result.failed(d, sc, t.name(), failure));
        });
    }

    /**
     * Each tool copies its own (complete, verified) destination back into an empty local
     * directory, cleared before every run; the result must equal the source, content included.
     */
    private void runDownload(Dataset d, Path src, List<Tool> tools, Map<Tool, Destination> dests, Report report)
            throws IOException, InterruptedException {
        Scenario sc = Scenario.DOWNLOAD;
        String label = sc.label(d);
        Map<Tool, List<Runner.Sample>> samples = new LinkedHashMap<>();
        tools.forEach(t -> samples.put(t, new ArrayList<>()));
        Map<Tool, String> failures = new LinkedHashMap<>();
        Tree srcTree = Tree.scan(src, false);
        for (int r = 0; r < o.runs + 1; r++) {
            for (int k = 0; k < tools.size(); k++) {
                Tool t = tools.get((k + r) % tools.size());
                if (failures.containsKey(t) || wrong.containsKey(t)) {
                    continue;
                }
                Path local = work.resolve("download").resolve(d.dirName() + "-" + slug(t));
                Fs.deleteRecursively(local);
                Files.createDirectories(local);
                Runner.syncFilesystems();
                Path logFile = logDir.resolve(d.dirName() + "-download-" + slug(t) + "-" + r + ".log");
                Runner.Sample s = runTool(t, t.downloadCommand(dests.get(t), local), logFile);
                List<String> problems = new ArrayList<>(Tree.mirrorProblems(srcTree, Tree.scan(local, false), Integer.MAX_VALUE));
                if (problems.isEmpty()) {
                    problems.addAll(Tree.contentProblems(src, local, srcTree.files().keySet(), Integer.MAX_VALUE));
                }
                if (!problems.isEmpty()) {
                    // Not this tool's download's fault alone, but no figure either: the tree is wrong.
                    failures.put(t, wrongResult(t.name() + " downloaded a wrong tree in \"" + label + "\" (" + local + ")",
                            problems, logFile));
                    continue;
                }
                log.info("%-34s %-16s %-8s %8.3f s %8.1f MiB %7.2f s CPU", label, t.name(), r == 0 ? "warm-up" : "run " + r,
                        s.seconds(), s.peakRssKiB() / 1024.0, s.cpuSeconds());
                if (r > 0) {
                    samples.get(t).add(s);
                }
            }
        }
        addResults(report, d, sc, samples, failures);
    }

    /** Null if the destination is right; else the failure for the report (details go to the log). */
    private String verify(Scenario sc, String label, Tool t, Path src, Tree srcTree, Destination dst, Tree before,
            Collection<String> contentToCheck, Path logFile) throws IOException {
        Tree after = Tree.scan(dst.view(), sc == Scenario.NOOP);
        Path plain = pair.plainView(dst);
        Tree plainTree = plain.equals(dst.view()) ? after : Tree.scan(plain, false);
        List<String> problems = new ArrayList<>(Tree.mirrorProblems(srcTree, plainTree, Integer.MAX_VALUE));
        if (sc == Scenario.NOOP) {
            problems.addAll(Tree.changes(before, after, Integer.MAX_VALUE));
        }
        if (problems.isEmpty()) {
            problems.addAll(Tree.contentProblems(src, plain, contentToCheck, Integer.MAX_VALUE));
        }
        return problems.isEmpty() ? null
                : wrongResult(t.name() + " left a wrong destination in \"" + label + "\" (" + dst.view() + ")", problems, logFile);
    }

    /**
     * Logs what is wrong (the first problems and the tool's last lines) and returns the report's
     * words for it: "wrong result: N files differ".
     */
    private String wrongResult(String what, List<String> problems, Path logFile) {
        // The summary line ("source N files / B bytes, destination ...") names no file.
        long files = problems.stream().filter(p -> !p.startsWith("source ")).count();
        log.info("FAILED: %s:%n  %s%n--- last lines of %s ---%n%s", what,
                String.join("\n  ", problems.subList(0, Math.min(PROBLEM_LIMIT, problems.size()))), logFile, Runner.tail(logFile));
        return "wrong result: " + files + (files == 1 ? " file differs" : " files differ");
    }

    private static String slug(Tool t) {
        return t.name().replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-+$", "");
    }
}
