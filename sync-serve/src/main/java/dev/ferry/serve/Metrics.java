package dev.ferry.serve;

import dev.ferry.core.SyncReport;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Counters per job and destination, written in the Prometheus text format. Each is the sum over
 * the reports the API lists (runs and pushes), so the two always agree.
 */
final class Metrics {

    /** One job and destination's counters; changed under its own lock. */
    static final class Counters {
        long runsOk;
        long runsFailed;
        long pushes;
        long filesCopied;
        long bytesCopied;
        long filesDeleted;
        long failures;
        double durationSeconds;
        long durationCount;
        double lastRunSeconds;
        double lastSuccessSeconds;
    }

    private final Map<String, Counters> counters = new ConcurrentSkipListMap<>();

    private Counters of(String job, String destination) {
        return counters.computeIfAbsent(job + "\u0000" + destination, k -> new Counters());
    }

    /** Makes the series exist (at zero) before the first run. */
    void register(String job, String destination) {
        of(job, destination);
    }

    /** A run ended: {@code report} is null when it could not start. */
    void run(String job, String destination, SyncReport report, boolean failed, double endedEpochSeconds) {
        Counters c = of(job, destination);
        synchronized (c) {
            if (failed) {
                c.runsFailed++;
            } else {
                c.runsOk++;
                c.lastSuccessSeconds = endedEpochSeconds;
            }
            c.lastRunSeconds = endedEpochSeconds;
            if (report == null) {
                c.failures++;
            } else {
                add(c, report);
                c.durationSeconds += report.duration().toNanos() / 1e9;
                c.durationCount++;
            }
        }
    }

    /** A one-file push ended. */
    void push(String job, String destination, SyncReport report) {
        Counters c = of(job, destination);
        synchronized (c) {
            c.pushes++;
            add(c, report);
        }
    }

    private static void add(Counters c, SyncReport report) {
        c.filesCopied += report.filesCopied();
        c.bytesCopied += report.bytesCopied();
        c.filesDeleted += report.filesDeleted();
        c.failures += report.failures().size();
    }

    /** The Prometheus text exposition; {@code state} gives each series' state gauge (0 idle, 1 running, 2 backing off, 3 paused). */
    String prometheus(java.util.function.BiFunction<String, String, Integer> state) {
        StringBuilder sb = new StringBuilder();
        family(sb, "ferry_runs_total", "counter", "Runs that ended, by result.");
        each((job, dest, c) -> {
            line(sb, "ferry_runs_total", job, dest, "result=\"ok\"", c.runsOk);
            line(sb, "ferry_runs_total", job, dest, "result=\"failed\"", c.runsFailed);
        });
        family(sb, "ferry_pushes_total", "counter", "One-file pushes.");
        each((job, dest, c) -> line(sb, "ferry_pushes_total", job, dest, null, c.pushes));
        family(sb, "ferry_files_copied_total", "counter", "Files written to the destination.");
        each((job, dest, c) -> line(sb, "ferry_files_copied_total", job, dest, null, c.filesCopied));
        family(sb, "ferry_bytes_copied_total", "counter", "Bytes of the files written.");
        each((job, dest, c) -> line(sb, "ferry_bytes_copied_total", job, dest, null, c.bytesCopied));
        family(sb, "ferry_files_deleted_total", "counter", "Files deleted from the destination.");
        each((job, dest, c) -> line(sb, "ferry_files_deleted_total", job, dest, null, c.filesDeleted));
        family(sb, "ferry_failures_total", "counter", "Failures (per file, or a run that could not start).");
        each((job, dest, c) -> line(sb, "ferry_failures_total", job, dest, null, c.failures));
        family(sb, "ferry_run_duration_seconds", "summary", "How long runs took.");
        each((job, dest, c) -> {
            line(sb, "ferry_run_duration_seconds_sum", job, dest, null, c.durationSeconds);
            line(sb, "ferry_run_duration_seconds_count", job, dest, null, c.durationCount);
        });
        family(sb, "ferry_last_run_timestamp_seconds", "gauge", "When the last run ended (0: never).");
        each((job, dest, c) -> line(sb, "ferry_last_run_timestamp_seconds", job, dest, null, c.lastRunSeconds));
        family(sb, "ferry_last_success_timestamp_seconds", "gauge", "When the last good run ended (0: never).");
        each((job, dest, c) -> line(sb, "ferry_last_success_timestamp_seconds", job, dest, null, c.lastSuccessSeconds));
        family(sb, "ferry_destination_state", "gauge", "0 idle, 1 running, 2 backing off, 3 paused.");
        each((job, dest, c) -> line(sb, "ferry_destination_state", job, dest, null, state.apply(job, dest)));
        return sb.toString();
    }

    private interface Each {
        void accept(String job, String destination, Counters c);
    }

    private void each(Each each) {
        counters.forEach((key, c) -> {
            int z = key.indexOf('\u0000');
            synchronized (c) {
                each.accept(key.substring(0, z), key.substring(z + 1), c);
            }
        });
    }

    private static void family(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void line(StringBuilder sb, String name, String job, String dest, String extra, Number value) {
        sb.append(name).append("{job=\"").append(label(job)).append("\",destination=\"").append(label(dest)).append('"');
        if (extra != null) {
            sb.append(',').append(extra);
        }
        sb.append("} ");
        if (value instanceof Double d) {
            sb.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.valueOf(d));
        } else {
            sb.append(value);
        }
        sb.append('\n');
    }

    private static String label(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
