package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launch scripts as a user runs them, each a real process: {@code bin/ferry-example} runs the
 * examples from the CLI's jar (no Maven plugin), each example prints its usage when called wrong,
 * Ctrl-C ends {@code ferry} with 130, as the docs say, and {@code ferry} keeps C2 for the runs that
 * cipher or hash every byte.
 */
class LaunchersTest {

    @TempDir
    Path home;

    private static Path bin(String name) {
        return CliProcess.repoRoot().resolve("bin").resolve(name);
    }

    @Test
    void ferryExampleRunsMirrorFolderFromTheJar() throws Exception {
        Path src = Files.createDirectories(home.resolve("src"));
        Files.writeString(src.resolve("keep.txt"), "k");
        Files.writeString(src.resolve("skip.tmp"), "t");
        CliProcess.Outcome r = CliProcess.run(List.of(bin("ferry-example").toString(), "MirrorFolder",
                src.toString(), home.resolve("mirror").toString()), home, Map.of(), home, 120);
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("1 to copy, 0 to delete").contains("in sync");
        assertThat(home.resolve("mirror/keep.txt")).hasContent("k");
        assertThat(home.resolve("mirror/skip.tmp")).doesNotExist();
    }

    @Test
    void everyExamplePrintsItsUsageWhenCalledWrong() throws Exception {
        CliProcess.Outcome none = CliProcess.run(List.of(bin("ferry-example").toString()), home, Map.of(), home, 60);
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.out()).contains("usage: bin/ferry-example NAME").contains("MirrorFolder").contains("Photobooth");
        CliProcess.Outcome unknown = CliProcess.run(List.of(bin("ferry-example").toString(), "Nope"), home, Map.of(),
                home, 60);
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.out()).contains("no example named 'Nope'");
        for (String name : Examples.names()) {
            CliProcess.Outcome r = CliProcess.run(List.of(bin("ferry-example").toString(), name), home, Map.of(),
                    home, 60);
            assertThat(r.code()).as(name + ": " + r.out()).isEqualTo(2);
            assertThat(r.out()).as(name).containsIgnoringCase("usage: " + name).doesNotContain("Exception");
        }
        assertThat(Examples.names()).contains("MirrorFolder", "Photobooth");
    }

    @Test
    void c2IsKeptForRunsThatCipherOrHashEveryByte() throws Exception {
        // A stand-in java that prints the options bin/ferry gives it, one per line.
        Path fakeJava = home.resolve("fake-java");
        Files.writeString(fakeJava, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        fakeJava.toFile().setExecutable(true);
        Map<String, String> env = Map.of("FERRY_JAVA", fakeJava.toString());
        assertThat(jvmOptions(env, "sync", "a", "b")).as("a local run: C1 only").contains("-XX:TieredStopAtLevel=1");
        assertThat(jvmOptions(env, "sync", "a", "sftp://me@host/dir")).doesNotContain("-XX:TieredStopAtLevel=1");
        assertThat(jvmOptions(env, "sync", "--checksum", "a", "b")).doesNotContain("-XX:TieredStopAtLevel=1");
        assertThat(jvmOptions(env, "copy", "a", "crypt:/vault")).doesNotContain("-XX:TieredStopAtLevel=1");
        Path conf = Files.createDirectories(home.resolve(".config/ferry")).resolve("ferry.conf");
        Files.writeString(conf, "[nas]\nurl = sftp://me@nas/backup\n");
        assertThat(jvmOptions(env, "sync", "a", "nas:photos")).as("an sftp remote in the config file")
                .doesNotContain("-XX:TieredStopAtLevel=1");
        Files.writeString(conf, "[disk]\nurl = /mnt/backup\n");
        assertThat(jvmOptions(env, "sync", "a", "disk:photos")).contains("-XX:TieredStopAtLevel=1");
    }

    private List<String> jvmOptions(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(bin("ferry").toString()));
        command.addAll(List.of(args));
        CliProcess.Outcome r = CliProcess.run(command, home, env, home, 30);
        assertThat(r.code()).as(r.out()).isZero();
        return r.out().lines().toList();
    }

    @Test
    void ctrlCEndsAJobWithExitCode130() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(sigintIgnored(),
                "SIGINT is ignored by this test JVM (Maven was started in the background by a shell, "
                        + "which sets it so), and a child inherits that: the JVM under test would never see the signal");
        Path src = Files.createDirectories(home.resolve("src"));
        Files.writeString(src.resolve("a.txt"), "a");
        ProcessBuilder pb = new ProcessBuilder(bin("ferry").toString(), "copy", "--every", "1h", src.toString(),
                home.resolve("dst").toString()).redirectErrorStream(true);
        CliProcess.environment(pb.environment(), home, CliProcess.launcherJar(home.resolve(".launcher")));
        Process p = pb.start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            String first = out.readLine(); // the first run's status line: the job is running
            while (first != null && !first.contains(" ok: ")) {
                first = out.readLine();
            }
            assertThat(first).as("status line").contains("ok: copied 1");
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("ended after SIGINT").isTrue();
            assertThat(p.exitValue()).isEqualTo(ExitCode.INTERRUPTED.code());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void examplesAreInTheJarTheBuildMakes() throws IOException {
        // bin/ferry-example finds them in ferry.jar because sync-cli depends on the examples module.
        String pom = Files.readString(CliProcess.repoRoot().resolve("sync-cli/pom.xml"));
        assertThat(pom).contains("<artifactId>ferry-examples</artifactId>");
    }

    /** Whether SIGINT (2) is in this process's ignored-signal mask (Linux's /proc/self/status SigIgn). */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }
}
