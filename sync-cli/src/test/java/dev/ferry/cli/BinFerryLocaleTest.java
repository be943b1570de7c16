package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/ferry} under the POSIX locale (cron, systemd, {@code env -i}): a JVM started there
 * cannot spell a non-ASCII file name, so every such file failed every run and never entered the
 * two-way state. The script must run the JVM with UTF-8 file names whatever the caller's locale.
 * Runs the real script and a real JVM on this module's classes (through a jar whose manifest
 * points at the test class path, as {@code FERRY_JAR}).
 */
class BinFerryLocaleTest {

    @TempDir
    Path dir;

    @Test
    void nonAsciiNamesAreCopiedUnderThePosixLocale() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("café.txt"), "c");
        Files.writeString(src.resolve("plain.txt"), "p");
        Path jar = launcherJar();

        Process p = start(List.of(script().toString(), "copy", src.toString(), dir.resolve("viaScript").toString()), jar);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(dir.resolve("viaScript").resolve("café.txt")).as(out).hasContent("c");

        // The same JVM started directly under that locale shows what the script prevents.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process direct = start(List.of(java, "-jar", jar.toString(), "copy", src.toString(),
                dir.resolve("direct").toString()), jar);
        String directOut = new String(direct.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        direct.waitFor();
        assertThat(Files.exists(dir.resolve("direct").resolve("café.txt")))
                .as("a plain JVM under LC_ALL=POSIX cannot name café.txt: %s", directOut).isFalse();
    }

    private Process start(List<String> command, Path jar) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", dir.toString());
        env.put("LC_ALL", "POSIX");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("FERRY_JAR", jar.toString());
        env.put("FERRY_CDS", "0");
        env.put("XDG_STATE_HOME", dir.resolve("state").toString());
        return pb.start();
    }

    private static Path script() {
        return TestLauncher.script();
    }

    private Path launcherJar() throws IOException {
        return TestLauncher.jar(dir);
    }
}
