package dev.ferry.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Collects the measured samples and renders the Markdown report. */
final class Report {

    /**
     * All measured (not warm-up) samples of one tool in one scenario of one dataset.
     *
     * @param failure why the tool has no figure here (it left a wrong result), or null
     */
    record Result(Dataset dataset, Scenario scenario, String tool, List<Runner.Sample> samples, String failure) {
        Result {
            samples = List.copyOf(samples);
        }

        Result(Dataset dataset, Scenario scenario, String tool, List<Runner.Sample> samples) {
            this(dataset, scenario, tool, samples, null);
        }

        /** A tool that produced a wrong result: a row that says so, and no figure. */
        static Result failed(Dataset dataset, Scenario scenario, String tool, String failure) {
            return new Result(dataset, scenario, tool, List.of(), failure);
        }

        boolean failed() {
            return failure != null;
        }

        double median() {
            return Stats.median(samples.stream().mapToDouble(Runner.Sample::seconds).toArray());
        }

        double min() {
            return samples.stream().mapToDouble(Runner.Sample::seconds).min().orElse(Double.NaN);
        }

        double max() {
            return samples.stream().mapToDouble(Runner.Sample::seconds).max().orElse(Double.NaN);
        }

        double medianCpu() {
            return Stats.median(samples.stream().mapToDouble(Runner.Sample::cpuSeconds).toArray());
        }

        /** The largest peak RSS of the measured runs, MiB. */
        double peakRssMiB() {
            return samples.stream().mapToLong(Runner.Sample::peakRssKiB).max().orElse(0) / 1024.0;
        }
    }

    private final List<String> header = new ArrayList<>();
    private final List<Result> results = new ArrayList<>();
    private final List<String> footer = new ArrayList<>();
    private final String title;

    Report(String title) {
        this.title = title;
    }

    void headerLine(String line) {
        header.add(line);
    }

    void footerLine(String line) {
        footer.add(line);
    }

    void add(Result r) {
        results.add(r);
    }

    List<Result> results() {
        return List.copyOf(results);
    }

    /** The successful result of a tool in a scenario; a failed one has no figures to compare. */
    Optional<Result> find(Dataset.Kind kind, Scenario sc, String tool) {
        return results.stream()
                .filter(r -> r.dataset().kind() == kind && r.scenario() == sc && r.tool().equals(tool) && !r.failed())
                .findFirst();
    }

    /** Ferry's (the CLI's) median over rclone's median in the same scenario, if both ran. */
    Optional<Double> ratio(Dataset.Kind kind, Scenario sc) {
        return ratio(kind, sc, "ferry");
    }

    /** A tool's median over rclone's median in the same scenario, if both ran. */
    Optional<Double> ratio(Dataset.Kind kind, Scenario sc, String tool) {
        Optional<Result> f = find(kind, sc, tool);
        Optional<Result> r = find(kind, sc, "rclone");
        return f.isPresent() && r.isPresent() ? Optional.of(f.get().median() / r.get().median()) : Optional.empty();
    }

    /** Rows with a ratio to rclone: Ferry's CLI and, with --embedded, Ferry run in a long-lived JVM. */
    private static boolean hasRatio(String tool) {
        return tool.equals("ferry") || tool.equals(Tool.EMBEDDED);
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title).append("\n\n");
        for (String h : header) {
            sb.append(h).append("\n");
        }
        sb.append("\n| scenario | tool | median s | min s | max s | peak RSS MiB | ratio ferry/rclone | median CPU s |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            if (r.failed()) {
                sb.append(f("| %s | %s | **failed: %s** | | | | | |%n", r.scenario().label(r.dataset()), r.tool(), r.failure()));
                continue;
            }
            String ratio = hasRatio(r.tool())
                    ? ratio(r.dataset().kind(), r.scenario(), r.tool()).map(x -> f("%.2f", x)).orElse("")
                    : "";
            sb.append(f("| %s | %s | %.3f | %.3f | %.3f | %.1f | %s | %.2f |%n", r.scenario().label(r.dataset()),
                    r.tool(), r.median(), r.min(), r.max(), r.peakRssMiB(), ratio, r.medianCpu()));
        }
        throughput(sb);
        targets(sb);
        if (!footer.isEmpty()) {
            sb.append("\n");
            for (String l : footer) {
                sb.append(l).append("\n");
            }
        }
        return sb.toString();
    }

    /** The large initial sync's reference row ({@code cp -r}, {@code scp}): any tool there that is not compared. */
    private Optional<Result> reference() {
        Set<String> compared = Set.of("ferry", Tool.EMBEDDED, "rclone");
        return results.stream().filter(r -> r.dataset().kind() == Dataset.Kind.LARGE && r.scenario() == Scenario.INITIAL
                && !compared.contains(r.tool()) && !r.failed()).findFirst();
    }

    private void throughput(StringBuilder sb) {
        Optional<Result> cp = reference();
        if (cp.isEmpty()) {
            return;
        }
        String ref = cp.get().tool();
        long bytes = cp.get().dataset().totalBytes();
        sb.append(f("%nLarge-file throughput, %s (%s, median; MB = 10⁶ bytes):%n%n",
                Scenario.INITIAL.label(cp.get().dataset()), cp.get().dataset().describe()));
        sb.append("| tool | median s | MB/s | % of " + ref.split(" ")[0] + " |\n|---|---:|---:|---:|\n");
        for (String tool : List.of(ref, "ferry", Tool.EMBEDDED, "rclone")) {
            find(Dataset.Kind.LARGE, Scenario.INITIAL, tool).ifPresent(r -> sb.append(f("| %s | %.3f | %.1f | %.0f%% |%n",
                    tool, r.median(), bytes / r.median() / 1e6, 100 * cp.get().median() / r.median())));
        }
    }

    private void targets(StringBuilder sb) {
        List<String> lines = new ArrayList<>();
        for (Scenario sc : List.of(Scenario.INITIAL, Scenario.NOOP)) {
            find(Dataset.Kind.SMALL, sc, "ferry").ifPresent(fr -> ratio(Dataset.Kind.SMALL, sc).ifPresent(x ->
                    lines.add(f("- %s: ferry/rclone = %.3f (target ≤ 1.00, JVM start included): %s",
                            sc.label(fr.dataset()), x, x <= 1.0 ? "**met**" : "**not met**"))));
        }
        Optional<Result> cp = reference();
        Optional<Result> fe = find(Dataset.Kind.LARGE, Scenario.INITIAL, "ferry");
        if (cp.isPresent() && fe.isPresent()) {
            double pct = 100 * cp.get().median() / fe.get().median();
            lines.add(f("- %s: ferry at %.0f%% of %s throughput (target ≥ 90%%): %s",
                    Scenario.INITIAL.label(fe.get().dataset()), pct, cp.get().tool().split(" ")[0],
                    pct >= 90 ? "**met**" : "**not met**"));
        }
        if (!lines.isEmpty() && results.stream().anyMatch(r -> r.tool().equals(Tool.EMBEDDED))) {
            lines.add("- (the targets are the CLI's, JVM start included: the ferry (embedded) rows are not judged against them)");
        }
        if (!lines.isEmpty()) {
            sb.append("\nTargets:\n\n");
            lines.forEach(l -> sb.append(l).append("\n"));
        }
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
