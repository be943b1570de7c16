package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarnessPartsTest {

    @Test
    void words_split_like_a_shell() {
        assertThat(Words.split("java -jar 'a b.jar'  \"x\\\"y\" c\\ d")).containsExactly("java", "-jar", "a b.jar", "x\"y", "c d");
        assertThat(Words.split("  ")).isEmpty();
        assertThatThrownBy(() -> Words.split("a 'b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ferry_gets_sync_src_dst_appended_unless_placeholders_are_given(@TempDir Path dir) throws Exception {
        Destination d = new LocalPair(dir).destination("x");
        Path src = Path.of("/data/src");
        assertThat(Tool.ferry("java -jar ferry.jar").command(src, d))
                .containsExactly("java", "-jar", "ferry.jar", "sync", "/data/src", d.ferryUri());
        assertThat(Tool.ferry("sh mirror.sh {dst} {src}/.").command(src, d))
                .containsExactly("sh", "mirror.sh", d.ferryUri(), "/data/src/.");
        assertThat(Tool.rclone("rclone", Path.of("/w/rclone.conf")).command(src, d))
                .containsExactly("rclone", "sync", "/data/src", d.rcloneSpec(), "--config", "/w/rclone.conf");
        assertThat(Tool.rclone("rclone", Path.of("/c")).unsetEnv()).contains("AWS_CA_BUNDLE");
        Tool embedded = Tool.embeddedFerry();
        assertThat(embedded.name()).isEqualTo("ferry (embedded)");
        assertThat(embedded.embedded()).isTrue();
        assertThat(Tool.ferry("bin/ferry").embedded()).isFalse();
        assertThat(embedded.command(src, d)).as("Main.run's arguments").containsExactly("sync", "/data/src", d.ferryUri());
        assertThat(embedded.downloadCommand(d, Path.of("/tmp/back"))).containsExactly("sync", d.ferryUri(), "/tmp/back");
    }

    @Test
    void gnu_time_output_is_parsed_even_after_a_failure_line() {
        assertThat(Runner.parsePeakRssKiB("0.52 41236 0.30 0.12\n")).isEqualTo(41236);
        assertThat(Runner.parseCpuSeconds("0.52 41236 0.30 0.12\n")).isCloseTo(0.42, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Runner.parsePeakRssKiB("Command exited with non-zero status 3\n0.00 1800 0.00 0.00\n")).isEqualTo(1800);
        assertThatThrownBy(() -> Runner.parsePeakRssKiB("garbage")).isInstanceOf(BenchFailure.class);
    }

    @Test
    void median_of_odd_and_even_counts() {
        assertThat(Stats.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Stats.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Stats.median(new double[0])).isNaN();
    }

    @Test
    void tree_checks_find_missing_extra_resized_and_touched_files(@TempDir Path a, @TempDir Path b) throws Exception {
        Files.createDirectories(a.resolve("d"));
        Files.writeString(a.resolve("d/x"), "hello");
        Files.writeString(a.resolve("y"), "1");
        Files.createDirectories(b.resolve("d"));
        Files.writeString(b.resolve("d/x"), "hell");
        Files.writeString(b.resolve("z"), "1");
        List<String> p = Tree.mirrorProblems(Tree.scan(a, false), Tree.scan(b, false), 10);
        assertThat(String.join("\n", p)).contains("missing in destination: y", "extra in destination: z",
                "size differs: d/x");

        Tree before = Tree.scan(a, true);
        assertThat(Tree.changes(before, Tree.scan(a, true), 10)).isEmpty();
        Files.writeString(a.resolve("y"), "2"); // same size, rewritten
        Files.setLastModifiedTime(a.resolve("y"), before.files().get("y").mtime());
        assertThat(Tree.changes(before, Tree.scan(a, true), 10)).singleElement().asString().startsWith("modified: y");
    }

    @Test
    void local_destination_clear_leaves_an_empty_directory(@TempDir Path dir) throws Exception {
        Destination d = new LocalPair(dir).destination("slot");
        Files.createDirectories(d.view().resolve("a/b"));
        Files.writeString(d.view().resolve("a/b/c"), "x");
        d.clear();
        assertThat(d.view()).isEmptyDirectory();
    }

    @Test
    void options_parse_and_reject() {
        Options o = Options.parse(new String[] {"--runs", "5", "--quick", "--ferry", "rclone", "--datasets", "large"});
        assertThat(o.runs).isEqualTo(5);
        assertThat(o.quick).isTrue();
        assertThat(o.datasets).containsExactly("large");
        assertThat(o.embedded).as("off by default").isFalse();
        assertThat(o.ferryJar).isEqualTo(Path.of("sync-cli/target/ferry.jar"));
        Options e = Options.parse(new String[] {"--embedded", "--ferry-jar", "/x/ferry.jar"});
        assertThat(e.embedded).isTrue();
        assertThat(e.ferryJar).isEqualTo(Path.of("/x/ferry.jar"));
        assertThatThrownBy(() -> Options.parse(new String[] {"--ferry-jar"})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Options.parse(new String[] {"--runs", "0"})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Options.parse(new String[] {"--bogus"})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TargetPair.create("gopher", Path.of("w"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown target pair");
    }
}
