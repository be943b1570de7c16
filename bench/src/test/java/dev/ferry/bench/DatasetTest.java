package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {
    private final Log log = new Log();

    @Test
    void the_same_seed_gives_byte_identical_datasets(@TempDir Path a, @TempDir Path b) throws Exception {
        Dataset d = Dataset.small(300);
        Path sa = d.ensure(a, log);
        Path sb = d.ensure(b, log);
        Tree ta = Tree.scan(sa, false);
        assertThat(ta.files()).hasSize(300);
        assertThat(ta.files()).isEqualTo(Tree.scan(sb, false).files());
        assertThat(Tree.contentProblems(sa, sb, ta.files().keySet(), 10)).isEmpty();
        assertThat(ta.totalBytes()).isEqualTo(d.totalBytes());
    }

    @Test
    void small_files_are_1_to_16_KiB_in_100_directories() {
        Dataset d = Dataset.small(10_000);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < d.count(); i++) {
            min = Math.min(min, d.size(i));
            max = Math.max(max, d.size(i));
        }
        assertThat(min).isBetween(1024L, 1100L);
        assertThat(max).isBetween(16_300L, 16_384L);
        Set<String> dirs = java.util.stream.IntStream.range(0, d.count())
                .mapToObj(i -> d.relPath(i).substring(0, d.relPath(i).lastIndexOf('/')))
                .collect(Collectors.toSet());
        assertThat(dirs).hasSize(100);
        // mean of uniform 1024..16384 is 8704; 10,000 samples land well within 2%
        assertThat(d.totalBytes() / (double) d.count()).isBetween(8704 * 0.98, 8704 * 1.02);
    }

    @Test
    void content_does_not_compress(@TempDir Path dir) throws Exception {
        Dataset d = Dataset.large(1, 256 * 1024);
        Path src = d.ensure(dir, log);
        byte[] data = Files.readAllBytes(src.resolve(d.relPath(0)));
        java.util.zip.Deflater def = new java.util.zip.Deflater(9);
        def.setInput(data);
        def.finish();
        byte[] out = new byte[data.length * 2];
        int n = def.deflate(out);
        assertThat(n).isGreaterThan(data.length * 99 / 100);
    }

    @Test
    void a_complete_dataset_is_reused_and_a_tampered_one_regenerated(@TempDir Path dir) throws Exception {
        Dataset d = Dataset.small(200);
        Path src = d.ensure(dir, log);
        assertThat(d.reuseProblem(dir)).isNull();
        Files.delete(src.resolve(d.relPath(7)));
        assertThat(d.reuseProblem(dir)).contains("files");
        d.ensure(dir, log);
        assertThat(d.reuseProblem(dir)).isNull();
        Files.writeString(src.resolve("stray.txt"), "x");
        assertThat(d.reuseProblem(dir)).isNotNull();
    }

    @Test
    void change_rounds_are_deterministic_and_restore_puts_the_originals_back(@TempDir Path dir, @TempDir Path copy)
            throws Exception {
        Dataset d = Dataset.small(500);
        Path src = d.ensure(dir, log);
        d.ensure(copy, log);
        assertThat(d.changesPerRound()).isEqualTo(5);
        assertThat(d.changeSet(1)).isEqualTo(Dataset.small(500).changeSet(1)).hasSize(5);
        assertThat(d.changeSet(1)).isNotEqualTo(d.changeSet(2));

        Tree before = Tree.scan(src, false);
        var changed = d.applyChange(dir, 1);
        assertThat(changed).hasSize(5);
        Tree after = Tree.scan(src, false);
        assertThat(Tree.mirrorProblems(before, after, 10)).isEmpty(); // same paths and sizes
        for (String p : changed) {
            assertThat(after.files().get(p).mtime()).isNotEqualTo(before.files().get(p).mtime());
        }
        assertThat(Tree.contentProblems(src, d.sourceDir(copy), changed, 10)).hasSize(5);
        assertThat(d.reuseProblem(dir)).isNotNull();

        d.restore(dir, d.touchedBy(1));
        assertThat(d.reuseProblem(dir)).isNull();
        assertThat(Tree.contentProblems(src, d.sourceDir(copy), Arrays.asList(changed.toArray(new String[0])), 10))
                .isEmpty();
    }
}
