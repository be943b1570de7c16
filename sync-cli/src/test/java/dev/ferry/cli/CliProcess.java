package dev.ferry.cli;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Runs the real launch scripts ({@code bin/ferry}, {@code bin/ferry-example}) as separate
 * processes, on this module's test class path: a jar with no classes whose manifest names Main
 * and the class path stands in for ferry.jar ({@code FERRY_JAR}), so no package step is needed.
 */
final class CliProcess {

    /** What a process printed and how it ended. */
    record Outcome(int code, String out) {}

    private CliProcess() {}

    /** The repository's root: the directory above that holds bin/ferry. */
    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("bin/ferry")) && Files.isRegularFile(p.resolve("pom.xml"))
                    && Files.isDirectory(p.resolve("sync-cli"))) {
                return p;
            }
        }
        throw new IllegalStateException("bin/ferry not found above " + Path.of("").toAbsolutePath());
    }

    /** A jar with no classes: its manifest names Main and this test's class path. */
    static synchronized Path launcherJar(Path dir) throws IOException {
        Path jar = dir.resolve("launcher.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        List<String> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                urls.add(Path.of(entry).toAbsolutePath().toUri().toString());
            }
        }
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.ferry.cli.Main");
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        Files.createDirectories(dir);
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o, m)) {
            j.flush();
        }
        return jar;
    }

    /** The environment a launched script gets: a clean one, pointed at the launcher jar and {@code home}. */
    static void environment(Map<String, String> env, Path home, Path jar) {
        env.clear();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("LC_ALL", "C.UTF-8");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("FERRY_JAR", jar.toString());
        env.put("FERRY_CDS", "0");
        env.put("XDG_STATE_HOME", home.resolve(".local/state").toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
    }

    /** Runs a command to its end (at most {@code seconds}), stdout and stderr together. */
    static Outcome run(List<String> command, Path workDir, Map<String, String> extraEnv, Path home, int seconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        environment(pb.environment(), home, launcherJar(home.resolve(".launcher")));
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        try {
            Path log = Files.createTempFile(home, "out", ".txt");
            Thread drain = new Thread(() -> {
                try {
                    Files.copy(p.getInputStream(), log, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    // the process ended
                }
            });
            drain.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out after " + seconds + " s: " + command);
            }
            drain.join(5000);
            return new Outcome(p.exitValue(), Files.readString(log));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
