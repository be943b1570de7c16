package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/ferry} maps its class-data archive at the address it was dumped at: JDK 17.0.x
 * relocates it by default, rewriting every pointer of a 40 MB archive in every run (about 0.08 s
 * of CPU; bench/results/start-cost-20261205.md). The script runs a stand-in {@code java} that
 * prints its arguments, beside a ready archive, so no JVM or training run is needed.
 */
class BinFerryArchiveTest {

    @TempDir
    Path dir;

    @Test
    void anArchiveIsMappedWithoutRelocationUnlessAskedTo() throws Exception {
        Path jdk = Files.createDirectories(dir.resolve("jdk/bin"));
        Files.writeString(dir.resolve("jdk/release"), "JAVA_VERSION=\"17.0.15\"\n");
        Path java = jdk.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.writeString(dir.resolve("ferry.jar"), "not read by the stand-in");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        String key = dir.resolve("jdk").toString().replaceAll("[^A-Za-z0-9._-]", "_") + "-17.0.15";
        Path archive = Files.writeString(dir.resolve("ferry" + key + ".jsa"), "archive");

        List<String> args = run(java, jar, Map.of());
        assertThat(args).contains("-XX:SharedArchiveFile=" + archive, "-XX:+UnlockDiagnosticVMOptions",
                "-XX:ArchiveRelocationMode=0");
        // The options come before the user's own, so FERRY_JAVA_OPTS can still override them.
        assertThat(args.indexOf("-XX:ArchiveRelocationMode=0")).isLessThan(args.indexOf("-jar"));

        List<String> relocated = run(java, jar, Map.of("FERRY_CDS_RELOCATE", "1"));
        assertThat(relocated).contains("-XX:SharedArchiveFile=" + archive)
                .doesNotContain("-XX:ArchiveRelocationMode=0");
    }

    private List<String> run(Path java, Path jar, Map<String, String> extra) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(TestLauncher.script().toString(), "--version").redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", dir.toString());
        env.put("FERRY_JAVA", java.toString());
        env.put("FERRY_JAR", jar.toString());
        env.putAll(extra);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().toList();
    }
}
