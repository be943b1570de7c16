package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress display as a person sees it: {@code bin/ferry} under a pseudo-terminal made by
 * util-linux's {@code script}, six files sent two at a time under a bandwidth limit (about 4 s):
 * a bar for the bytes with rate and ETA, files done counted as each finishes (not at the end), and
 * the transfers in flight by name with their own progress. Without a terminal: a plain line
 * every {@code --stats} interval.
 */
class TerminalProgressTest {

    private static final Path SCRIPT = Path.of("/usr/bin/script");

    @TempDir
    Path home;

    Path src;

    @BeforeEach
    void files() throws Exception {
        src = Files.createDirectories(home.resolve("big"));
        Random r = new Random(1);
        for (int i = 1; i <= 6; i++) {
            byte[] b = new byte[400_000];
            r.nextBytes(b);
            Files.write(src.resolve("file" + i + ".bin"), b);
        }
    }

    @Test
    void aTerminalGetsABarFilesAsTheyFinishAndTheTransfersInFlight() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(SCRIPT), "util-linux's script is not installed: no pseudo-terminal");
        String ferry = CliProcess.repoRoot().resolve("bin/ferry").toString();
        String command = ferry + " copy --bwlimit 600K --transfers 2 " + src + " " + home.resolve("dst");
        CliProcess.Outcome r = CliProcess.run(List.of(SCRIPT.toString(), "-qfec", command, "/dev/null"), home,
                Map.of("COLUMNS", "100", "TERM", "xterm"), home, 120);
        assertThat(r.code()).as(r.out()).isZero();
        String screen = r.out();
        assertThat(screen).as("a bar with percent, bytes, rate and ETA")
                .containsPattern("\\[#+>\\.+\\]\\s+\\d+%\\s+[\\d.]+ [KM]iB / 2\\.3 MiB\\s+[\\d.]+ [KM]iB/s\\s+ETA \\d+s");
        assertThat(screen).as("transfers in flight with their names and own progress")
                .containsPattern("  file\\d\\.bin\\s+\\d+% \\[[#>.]+\\] [\\d.]+ KiB / 391 KiB");
        assertThat(screen).as("redrawn in place").contains("\033[3A").contains("\033[K");
        // Files done grow while bytes are still far from done: counted as each file finishes.
        Matcher m = Pattern.compile("\\]\\s+(\\d+)%[^\\n]*\\r?\\nFiles: (\\d)/6 done").matcher(screen);
        boolean midway = false;
        while (m.find()) {
            int percent = Integer.parseInt(m.group(1));
            int files = Integer.parseInt(m.group(2));
            if (files >= 2 && files < 6 && percent < 80) {
                midway = true;
            }
        }
        assertThat(midway).as("a frame with some files done and the bytes well short of the end:%n%s", screen).isTrue();
        assertThat(screen).as("the summary follows the cleared block").contains("Copied:     6 files");
        assertThat(home.resolve("dst/file6.bin")).exists();
    }

    @Test
    void withoutATerminalAPlainLineComesEveryStatsInterval() throws Exception {
        String ferry = CliProcess.repoRoot().resolve("bin/ferry").toString();
        CliProcess.Outcome r = CliProcess.run(List.of(ferry, "copy", "--stats", "1s", "--bwlimit", "600K",
                "--transfers", "2", src.toString(), home.resolve("dst").toString()), home, Map.of(), home, 120);
        assertThat(r.code()).as(r.out()).isZero();
        List<String> lines = r.out().lines().filter(l -> l.startsWith("ferry: ") && l.contains("/6 files")).toList();
        assertThat(lines).as(r.out()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(lines.get(0)).containsPattern("\\d/6 files, .*\\(\\d+%\\), .*/s, ETA ").contains("in flight: file");
        assertThat(r.out()).doesNotContain("\033[");

        CliProcess.Outcome off = CliProcess.run(List.of(ferry, "copy", "--stats", "off", "--bwlimit", "2M",
                src.toString(), home.resolve("dst2").toString()), home, Map.of(), home, 120);
        assertThat(off.code()).as(off.out()).isZero();
        assertThat(off.out()).doesNotContain("/6 files,");
    }
}
