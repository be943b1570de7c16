package dev.ferry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The machine line of the report: cores, CPU, memory, OS, filesystem, java and rclone versions. */
final class MachineInfo {
    private MachineInfo() {
    }

    static void describe(Report report, Path work, Tool ferry, Tool rclone, Path rcloneConf) {
        String cpu = firstMatch(Path.of("/proc/cpuinfo"), "model name");
        String mem = firstMatch(Path.of("/proc/meminfo"), "MemTotal");
        String fs;
        try {
            fs = Files.getFileStore(work).type();
        } catch (IOException e) {
            fs = "?";
        }
        String javaCmd = ferry.template().get(0).endsWith("java") ? ferry.template().get(0) : "java";
        List<String> rcloneVersion = new ArrayList<>(rclone.template().subList(0, rclone.template().indexOf("sync")));
        rcloneVersion.addAll(List.of("version", "--config", rcloneConf.toString()));
        report.headerLine("- Machine: " + Runtime.getRuntime().availableProcessors() + " cores"
                + (cpu.isEmpty() ? "" : " (" + cpu + ")")
                + (mem.isEmpty() ? "" : ", " + memGiB(mem) + " RAM")
                + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " " + System.getProperty("os.arch") + ", work dir on " + fs
                + " · java: " + firstLine(List.of(javaCmd, "-version"))
                + " · rclone: " + firstLine(rcloneVersion));
    }

    /** The first three fields of /proc/loadavg, or "n/a". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).strip().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static String memGiB(String memTotal) {
        try {
            long kib = Long.parseLong(memTotal.replaceAll("[^0-9]", ""));
            return String.format(java.util.Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
        } catch (NumberFormatException e) {
            return memTotal;
        }
    }

    private static String firstMatch(Path file, String key) {
        try {
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (l.startsWith(key)) {
                    return l.substring(l.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: leave it out
        }
        return "";
    }

    /** First output line of a short command (stdout and stderr merged), or why there is none. */
    static String firstLine(List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().remove("AWS_CA_BUNDLE");
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            String s = new String(out, StandardCharsets.UTF_8).strip();
            for (String l : s.split("\n")) {
                if (!l.isBlank() && !l.startsWith("Picked up")) {
                    return l.strip();
                }
            }
            return "(no output)";
        } catch (IOException e) {
            return "(unavailable: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }
}
