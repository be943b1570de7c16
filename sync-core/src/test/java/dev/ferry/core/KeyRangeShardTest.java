package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key-range shards ({@link ShardBounds}): the ranges cover every path exactly once, a directory
 * is entered by every shard that can hold one of its files, the cuts split a flat tree evenly,
 * and N range-sharded mirror runs give exactly what one run gives, deletions included.
 */
class KeyRangeShardTest {

    static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void theOrderIsTheByteOrderOfUtf8AsS3ListsKeys() {
        Random r = new Random(7);
        int[] alphabet = {'a', 'b', '/', '.', '-', 'é', 0x4E2D, 0xFF5E, 0x1F600, 0x10FFFD};
        for (int k = 0; k < 5_000; k++) {
            String a = random(r, alphabet);
            String b = random(r, alphabet);
            int bytes = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
            assertThat(Integer.signum(ShardBounds.ORDER.compare(a, b))).as("%s vs %s", a, b).isEqualTo(bytes);
        }
    }

    @Test
    void everyPathFallsInExactlyOneShardAndItsDirectoriesAreEntered() {
        Random r = new Random(11);
        int[] alphabet = {'a', 'b', 'c', '/', '.', 0x1F600};
        List<String> cuts = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            cuts.add(path(r, alphabet));
        }
        cuts.sort(ShardBounds.ORDER);
        ShardBounds bounds = new ShardBounds(cuts);
        for (int k = 0; k < 5_000; k++) {
            SyncPath p = SyncPath.of(path(r, alphabet));
            int owners = 0;
            for (int i = 0; i < bounds.count(); i++) {
                Shard s = new Shard(i, bounds.count(), bounds);
                if (s.includes(p)) {
                    owners++;
                    // Soundness: the shard that owns a file enters every directory above it.
                    for (SyncPath d = p.parent(); !d.isRoot(); d = d.parent()) {
                        assertThat(s.includesDirectory(d)).as("%s owns %s but skips %s", s, p, d).isTrue();
                    }
                }
            }
            assertThat(owners).as("%s", p).isEqualTo(1);
        }
    }

    @Test
    void boundsSurviveAFileWithHostileNamesAndRefuseAForeignOne() throws IOException {
        ShardBounds b = new ShardBounds(List.of("a\\b", "line\nbreak", "z\r"));
        Path f = tmp.resolve("bounds");
        b.write(f);
        assertThat(ShardBounds.read(f)).isEqualTo(b);
        Files.writeString(f, "not bounds\n");
        assertThatThrownBy(() -> ShardBounds.read(f)).hasMessageContaining("not a shard bounds file");
        Files.writeString(f, "ferry shard bounds v1: 4 shards\nb\n");
        assertThatThrownBy(() -> ShardBounds.read(f)).hasMessageContaining("says 4 shards");
        assertThatThrownBy(() -> new ShardBounds(List.of("b", "a"))).hasMessageContaining("out of order");
        assertThatThrownBy(() -> new Shard(0, 3, b)).hasMessageContaining("needs bounds for 3");
    }

    @Test
    void aTwoWayRunRefusesKeyRanges() {
        Shard s = new Shard(0, 2, new ShardBounds(List.of("m")));
        assertThatThrownBy(() -> SyncOptions.builder().mode(SyncMode.TWO_WAY).filter(Filter.builder().shard(s).build()).build())
                .hasMessageContaining("two-way");
    }

    @Test
    void cutsFromASampleSplitAFlatTreeEvenly() throws IOException {
        MemoryTarget src = new MemoryTarget("src");
        for (int k = 0; k < 4_000; k++) {
            src.file(String.format("obj-%05d.dat", k * 7919 % 100_000), "x".repeat(k % 10), T);
        }
        ShardPlan.KeyRanges ranges = ShardPlan.keyRanges(src, 4, Filter.NONE, 800);
        assertThat(ranges.estimated()).isTrue();
        assertThat(ranges.parts().stream().mapToLong(ShardPlan.Part::files).sum()).isBetween(3_990L, 4_010L);
        for (int i = 0; i < 4; i++) {
            Shard s = ranges.parts().get(i).shard();
            long real = src.nodes.keySet().stream().filter(p -> !p.isRoot() && s.includes(p)).count();
            // A uniform sample of 800 puts each quarter's cut within a few percent of 1,000.
            assertThat(real).as("shard %d", i).isBetween(850L, 1_150L);
            assertThat(ranges.parts().get(i).files()).isBetween(900L, 1_100L);
        }
    }

    @Test
    void rangeShardedMirrorRunsEqualOneRunDeletionsIncluded() throws IOException {
        MemoryTarget src = new MemoryTarget("src");
        for (int k = 0; k < 300; k++) {
            src.file("flat-" + k + ".txt", "flat " + k, T);
        }
        for (int k = 0; k < 200; k++) {
            src.file("big/sub" + (k % 7) + "/f" + k, "big " + k, T);
        }
        src.dir("empty-dir");
        MemoryTarget one = staleDestination();
        MemoryTarget sharded = staleDestination();
        SyncOptions.Builder opts = SyncOptions.builder().mode(SyncMode.MIRROR).retry(SyncEngineTest.FAST_RETRY);
        assertThat(Sync.between(src, one, opts.build()).run().succeeded()).isTrue();

        ShardPlan.KeyRanges ranges = ShardPlan.keyRanges(src, 5, Filter.NONE, 120);
        for (int i = 0; i < 5; i++) {
            Shard s = new Shard(i, 5, ranges.bounds());
            SyncReport r = Sync.between(src, sharded, opts.filter(Filter.builder().shard(s).build()).build()).run();
            assertThat(r.succeeded()).as("shard %d: %s", i, r.failures()).isTrue();
        }
        // A directory whose files span shards is kept by each shard that still sees another's
        // file in it; the next run of any shard that owns part of it removes it once empty.
        for (int i = 0; i < 5; i++) {
            Shard s = new Shard(i, 5, ranges.bounds());
            Sync.between(src, sharded, opts.filter(Filter.builder().shard(s).build()).build()).run();
        }
        assertThat(files(sharded)).isEqualTo(files(one));
        assertThat(sharded.nodes.keySet()).isEqualTo(one.nodes.keySet());
    }

    private static MemoryTarget staleDestination() {
        MemoryTarget d = new MemoryTarget("dst");
        d.file("flat-3.txt", "old", T.minusSeconds(60));
        d.file("flat-gone.txt", "delete me", T);
        d.file("gone/a/b.txt", "delete me too", T);
        d.file("big/sub1/extra", "and me", T);
        for (int k = 0; k < 40; k++) {
            d.file("spanning/x" + k, "spans shards", T);
        }
        return d;
    }

    private static Map<String, String> files(MemoryTarget t) {
        Map<String, String> out = new TreeMap<>();
        t.nodes.forEach((p, n) -> {
            if (!n.dir()) {
                out.put(p.toString(), new String(n.data(), StandardCharsets.UTF_8));
            }
        });
        return out;
    }

    private static String random(Random r, int[] alphabet) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(6);
        for (int k = 0; k < n; k++) {
            b.appendCodePoint(alphabet[r.nextInt(alphabet.length)]);
        }
        return b.toString();
    }

    /** A valid relative path: segments of the alphabet without slashes, joined by slashes. */
    private static String path(Random r, int[] alphabet) {
        StringBuilder b = new StringBuilder();
        int segments = 1 + r.nextInt(3);
        for (int s = 0; s < segments; s++) {
            if (s > 0) {
                b.append('/');
            }
            int n = 1 + r.nextInt(3);
            for (int k = 0; k < n; k++) {
                int c;
                do {
                    c = alphabet[r.nextInt(alphabet.length)];
                } while (c == '/');
                b.appendCodePoint(c);
            }
            if (b.toString().endsWith(".") && (b.toString().endsWith("/.") || b.toString().endsWith("..") || b.length() == 1)) {
                b.append('a');
            }
        }
        return b.toString();
    }
}
