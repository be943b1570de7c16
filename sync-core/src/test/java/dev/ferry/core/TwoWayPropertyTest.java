package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random edits on both sides over several rounds, each followed by a two-way run, checked
 * against what must hold whatever the edits: both sides end identical, every version written in
 * a round survives it somewhere (at its path or as a conflict copy), and a run after a quiet
 * round has nothing to do.
 */
class TwoWayPropertyTest {

    static final List<String> PATHS = List.of("f0.txt", "f1", "d/f2.txt", "d/f3", "d/e/f4.txt", "f5.txt");
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    /** One user edit: write new content to, or delete, a path on one side. */
    record Edit(boolean onA, boolean delete, int path) {}

    @Provide
    Arbitrary<List<List<Edit>>> rounds() {
        Arbitrary<Edit> edit = Combinators.combine(Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 3).map(i -> i == 0), Arbitraries.integers().between(0, PATHS.size() - 1))
                .as(Edit::new);
        return edit.list().ofMaxSize(8).list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 80)
    void bothSidesConvergeAndNoWriteIsLost(@ForAll("rounds") List<List<Edit>> rounds) throws IOException {
        Path state = Files.createTempDirectory("ferry-prop");
        try {
            // A file no edit touches: a side emptied by the edits would (rightly) stop deletions,
            // which TwoWaySyncTest checks on its own.
            MemoryTarget a = new MemoryTarget("A").file("anchor", "x", T0);
            MemoryTarget b = new MemoryTarget("B").file("anchor", "x", T0);
            int counter = 0;
            for (int r = 0; r < rounds.size(); r++) {
                Map<String, String> written = new HashMap<>();
                for (Edit e : rounds.get(r)) {
                    MemoryTarget t = e.onA() ? a : b;
                    String path = PATHS.get(e.path());
                    String key = (e.onA() ? "A:" : "B:") + path;
                    if (e.delete()) {
                        t.nodes.remove(dev.ferry.api.SyncPath.of(path));
                        written.remove(key);
                    } else {
                        counter++;
                        String content = "v" + counter + (e.onA() ? "a" : "b");
                        t.file(path, content, T0.plusSeconds(counter));
                        written.put(key, content);
                    }
                }
                Clock clock = Clock.fixed(T0.plusSeconds(100_000L + r * 60L), ZoneOffset.UTC);
                SyncOptions o = SyncOptions.builder().mode(SyncMode.TWO_WAY).conflictPolicy(ConflictPolicy.KEEP_BOTH)
                        .stateDirectory(state).clock(clock).retry(RetryPolicy.NONE).build();
                SyncReport report = Sync.between(a, b, o).run();
                assertThat(report.failures()).as("round %d", r).isEmpty();
                Map<String, String> fa = TwoWaySyncTest.files(a);
                assertThat(fa).as("round %d: A equals B", r).isEqualTo(TwoWaySyncTest.files(b));
                assertThat(fa.values()).as("round %d: every version written survives", r)
                        .containsAll(written.values());
                assertThat(Sync.between(a, b, o).dryRun().actions()).as("round %d: a quiet run has nothing to do", r)
                        .isEmpty();
            }
        } finally {
            try (Stream<Path> walk = Files.walk(state)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static Map<String, String> sorted(Map<String, String> m) {
        return new TreeMap<>(m);
    }
}
