package dev.ferry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command under GNU time ({@code /usr/bin/time -f '%e %M %U %S'}): wall time is measured here
 * with {@link System#nanoTime()} around the process; peak RSS is GNU time's {@code %M}, the largest
 * resident set of the process and of any descendant it waited for (for a {@code java} child: the JVM).
 * CPU time is GNU time's user + system seconds of the process and its waited-for descendants.
 * The tool's stdout and stderr go to a log file, never through this JVM.
 */
final class Runner {

    /** One timed run. */
    record Sample(double seconds, long peakRssKiB, double cpuSeconds) {
    }

    private final String timeBin;
    private final Duration timeout;

    Runner(String timeBin, Duration timeout) {
        this.timeBin = timeBin;
        this.timeout = timeout;
    }

    Sample run(List<String> command, Set<String> unsetEnv, Path log) throws IOException, InterruptedException {
        return run(command, unsetEnv, java.util.Map.of(), log);
    }

    Sample run(List<String> command, Set<String> unsetEnv, java.util.Map<String, String> setEnv, Path log)
            throws IOException, InterruptedException {
        Path timeFile = log.resolveSibling(log.getFileName() + ".time");
        Files.deleteIfExists(timeFile);
        List<String> cmd = new ArrayList<>(List.of(timeBin, "-o", timeFile.toString(), "-f", "%e %M %U %S"));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        unsetEnv.forEach(pb.environment()::remove);
        pb.environment().putAll(setEnv);
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        long t1 = System.nanoTime();
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
            throw new BenchFailure("timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command)
                    + "\n" + tail(log));
        }
        int exit = p.exitValue();
        if (exit != 0) {
            throw new BenchFailure("exit status " + exit + ": " + String.join(" ", command) + "\n"
                    + "--- last lines of " + log + " ---\n" + tail(log)
                    + (Files.exists(timeFile) ? "--- " + timeFile + " ---\n" + Files.readString(timeFile) : ""));
        }
        String out = Files.readString(timeFile, StandardCharsets.UTF_8);
        return new Sample((t1 - t0) / 1e9, parsePeakRssKiB(out), parseCpuSeconds(out));
    }

    /** Parses the last line of GNU time's {@code -f '%e %M %U %S'} output; the peak RSS in KiB. */
    static long parsePeakRssKiB(String timeOutput) {
        String[] f = fields(timeOutput);
        try {
            return Long.parseLong(f[1]);
        } catch (NumberFormatException e) {
            throw new BenchFailure("cannot parse GNU time output: " + timeOutput);
        }
    }

    /** User + system seconds from the same line. */
    static double parseCpuSeconds(String timeOutput) {
        String[] f = fields(timeOutput);
        try {
            return Double.parseDouble(f[2]) + Double.parseDouble(f[3]);
        } catch (NumberFormatException e) {
            throw new BenchFailure("cannot parse GNU time output: " + timeOutput);
        }
    }

    private static String[] fields(String timeOutput) {
        String[] lines = timeOutput.strip().split("\n");
        String[] f = lines[lines.length - 1].strip().split("\\s+");
        if (f.length != 4) {
            throw new BenchFailure("cannot parse GNU time output: " + timeOutput);
        }
        return f;
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())) + "\n";
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")\n";
        }
    }

    /** Flushes dirty pages so one run's write-back is not billed to the next run. Not timed. */
    static void syncFilesystems() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sync").inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("sync failed");
        }
    }
}
