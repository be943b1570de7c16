package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The confirmations of {@code pair remove} and {@code purge} on a real pseudo-terminal (util-linux
 * {@code script} runs the CLI's JVM on one and feeds it the answer typed on stdin).
 */
class PairConfirmationTerminalTest {

    @TempDir
    Path dir;

    Path jar;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")),
                "util-linux 'script' is needed to give the CLI a terminal");
        jar = TestLauncher.jar(dir);
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("a.txt"), "a");
        assertThat(onTerminal("", "pair", "add", "docs", home.toString(), dir.resolve("remote/docs").toString()).code)
                .isZero();
        assertThat(onTerminal("", "push", "docs").code).isZero();
    }

    record Run(int code, String output) {}

    private Run onTerminal(String typed, String... args) throws IOException, InterruptedException {
        StringBuilder cmd = new StringBuilder("java -jar '" + jar + "'");
        for (String a : args) {
            cmd.append(" '").append(a.replace("'", "'\\''")).append('\'');
        }
        ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/script", "-qec", cmd.toString(), "/dev/null"))
                .redirectErrorStream(true);
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("xdg").toString());
        pb.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
        Process p = pb.start();
        p.getOutputStream().write(typed.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.getOutputStream().close();
        return new Run(p.exitValue(), out);
    }

    @Test
    void removeAsksAndANoKeepsThePair() throws Exception {
        Run no = onTerminal("n\n", "pair", "remove", "docs");
        assertThat(no.output).contains("Remove sync configuration for 'docs' (y/N)?").contains("nothing removed");
        assertThat(onTerminal("", "pair", "list").output).contains("docs:");

        Run yes = onTerminal("y\n", "pair", "remove", "docs");
        assertThat(yes.code).as(yes.output).isZero();
        assertThat(yes.output).contains("removed sync configuration 'docs'");
        assertThat(onTerminal("", "pair", "list").output).doesNotContain("docs:");
        assertThat(dir.resolve("remote/docs/a.txt")).as("remove never touches data").exists();
    }

    @Test
    void purgeNamesTheRemoteAndDeletesOnlyOnYes() throws Exception {
        Run no = onTerminal("\n", "purge", "docs");
        assertThat(no.output).contains("Delete 1 files").contains(dir.resolve("remote/docs").toString())
                .contains("nothing deleted");
        assertThat(dir.resolve("remote/docs/a.txt")).exists();

        Run yes = onTerminal("yes\n", "purge", "docs");
        assertThat(yes.code).as(yes.output).isZero();
        assertThat(dir.resolve("remote/docs/a.txt")).doesNotExist();
        assertThat(dir.resolve("home/a.txt")).exists();
    }
}
