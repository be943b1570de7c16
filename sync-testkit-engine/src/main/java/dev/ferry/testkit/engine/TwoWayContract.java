package dev.ferry.testkit.engine;

import dev.ferry.testkit.Listings;
import dev.ferry.testkit.TestContent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.core.ConflictPolicy;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two-way sync as a table of scenarios, run through real targets: each row starts from a pair
 * synced once, applies edits to A and to B through the targets themselves, runs, and states
 * what both sides must hold afterwards; a third run must find nothing to do. A backend runs it
 * local ↔ its target by implementing {@link #newSideA()} and {@link #newSideB()}.
 */
public abstract class TwoWayContract {

    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    static final Instant T1 = Instant.parse("2024-02-01T00:00:00Z");
    static final Instant T2 = Instant.parse("2024-03-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-04-05T06:07:08Z"), ZoneOffset.UTC);

    /** Where the pair's state is kept. */
    @TempDir
    protected Path stateDir;

    private SyncTarget a;
    private SyncTarget b;

    /** A fresh, empty target for side A. */
    protected abstract SyncTarget newSideA() throws Exception;

    /** A fresh, empty target for side B. */
    protected abstract SyncTarget newSideB() throws Exception;

    @BeforeEach
    void open() throws Exception {
        a = newSideA();
        b = newSideB();
    }

    @AfterEach
    void close() throws IOException {
        a.close();
        b.close();
    }

    /** One edit, applied through a target. */
    @FunctionalInterface
    public interface Edit {
        /** Applies the edit. */
        void apply(SyncTarget t) throws IOException;

        /** This edit, then another. */
        default Edit then(Edit next) {
            return t -> {
                apply(t);
                next.apply(t);
            };
        }
    }

    /**
     * One scenario.
     *
     * @param name what it shows
     * @param policy the conflict policy of the run
     * @param onA edits on A
     * @param onB edits on B
     * @param expected what both sides hold afterwards (conflict copies with {@code -ID} for the
     *     side's id), or {@code null} when the run must leave both sides as edited and report
     *     {@code failures}
     * @param failures failures the run reports
     */
    public record Row(String name, ConflictPolicy policy, Edit onA, Edit onB, Map<String, String> expected,
            int failures) {
        @Override
        public String toString() {
            return name + " (" + policy + ")";
        }
    }

    static Edit write(String path, String content, Instant t) {
        return target -> {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            target.write(SyncPath.of(path), new ByteArrayInputStream(bytes), WriteHints.ofSize(bytes.length).withModTime(t));
        };
    }

    static Edit delete(String path) {
        return target -> deleteTree(target, SyncPath.of(path));
    }

    static final Edit NOTHING = t -> { };

    static Map<String, String> baseWith(String... changes) {
        Map<String, String> m = new TreeMap<>(Map.of("keep.txt", "k", "a.txt", "a0", "dir/b.txt", "b0", "dir/c.txt", "c0"));
        for (int i = 0; i < changes.length; i += 2) {
            if (changes[i + 1] == null) {
                m.remove(changes[i]);
            } else {
                m.put(changes[i], changes[i + 1]);
            }
        }
        return m;
    }

    /** The scenarios. */
    public static Stream<Row> rows() {
        ConflictPolicy kb = ConflictPolicy.KEEP_BOTH;
        return Stream.of(
                new Row("add on A", kb, write("new/x.txt", "x", T1), NOTHING, baseWith("new/x.txt", "x"), 0),
                new Row("add on B", kb, NOTHING, write("y.txt", "y", T1), baseWith("y.txt", "y"), 0),
                new Row("edit on A", kb, write("a.txt", "a1", T1), NOTHING, baseWith("a.txt", "a1"), 0),
                new Row("edit on B", kb, NOTHING, write("dir/b.txt", "b1", T1), baseWith("dir/b.txt", "b1"), 0),
                new Row("delete on A", kb, delete("a.txt"), NOTHING, baseWith("a.txt", null), 0),
                new Row("delete on B", kb, NOTHING, delete("dir/b.txt"), baseWith("dir/b.txt", null), 0),
                new Row("delete a directory on A", kb, delete("dir"), NOTHING,
                        baseWith("dir/b.txt", null, "dir/c.txt", null), 0),
                new Row("delete on A, edit on B: the edit wins", kb, delete("a.txt"), write("a.txt", "a2", T1),
                        baseWith("a.txt", "a2"), 0),
                new Row("edit on A, delete on B: the edit wins", kb, write("a.txt", "a1", T1), delete("a.txt"),
                        baseWith("a.txt", "a1"), 0),
                new Row("directory deleted on A, a file in it edited on B: that file stays", kb, delete("dir"),
                        write("dir/b.txt", "b2", T1), baseWith("dir/c.txt", null, "dir/b.txt", "b2"), 0),
                new Row("rename on A", kb, delete("a.txt").then(write("renamed.txt", "a0", T0)), NOTHING,
                        baseWith("a.txt", null, "renamed.txt", "a0"), 0),
                new Row("the same edit on both: no conflict", kb, write("a.txt", "same", T1), write("a.txt", "same", T2),
                        baseWith("a.txt", "same"), 0),
                new Row("the same new file on both", kb, write("n.txt", "n", T1), write("n.txt", "n", T1),
                        baseWith("n.txt", "n"), 0),
                new Row("both edit, B newer", ConflictPolicy.NEWEST, write("a.txt", "fromA", T1),
                        write("a.txt", "fromB", T2), baseWith("a.txt", "fromB"), 0),
                new Row("both edit, A newer", ConflictPolicy.NEWEST, write("a.txt", "fromA", T2),
                        write("a.txt", "fromB", T1), baseWith("a.txt", "fromA"), 0),
                new Row("both edit at the same time: the larger wins", ConflictPolicy.NEWEST, write("a.txt", "A", T1),
                        write("a.txt", "BBB", T1), baseWith("a.txt", "BBB"), 0),
                new Row("both edit", ConflictPolicy.SOURCE_WINS, write("a.txt", "fromA", T1),
                        write("a.txt", "fromB", T2), baseWith("a.txt", "fromA"), 0),
                new Row("both edit", ConflictPolicy.DESTINATION_WINS, write("a.txt", "fromA", T2),
                        write("a.txt", "fromB", T1), baseWith("a.txt", "fromB"), 0),
                new Row("both edit", ConflictPolicy.STOP, write("a.txt", "fromA", T1), write("a.txt", "fromB", T2),
                        null, 1),
                new Row("both edit", kb, write("a.txt", "fromA", T1), write("a.txt", "fromB", T2),
                        baseWith("a.txt", "fromB", "a.sync-conflict-20240405-060708-ID.txt", "fromA"), 0),
                new Row("different new files on both", kb, write("n.txt", "nA", T2), write("n.txt", "nBB", T1),
                        baseWith("n.txt", "nA", "n.sync-conflict-20240405-060708-ID.txt", "nBB"), 0),
                new Row("a file on A becomes a directory while B edits it", kb,
                        delete("a.txt").then(write("a.txt/inner", "i", T1)), write("a.txt", "a5", T1), null, 1));
    }

    private SyncOptions options(ConflictPolicy policy) {
        return SyncOptions.builder().mode(SyncMode.TWO_WAY).conflictPolicy(policy).stateDirectory(stateDir)
                .clock(CLOCK).build();
    }

    /** The table, one test per row. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void scenario(Row row) throws IOException {
        for (SyncTarget t : new SyncTarget[] {a, b}) {
            write("keep.txt", "k", T0).then(write("a.txt", "a0", T0)).then(write("dir/b.txt", "b0", T0))
                    .then(write("dir/c.txt", "c0", T0)).apply(t);
        }
        SyncReport first = Sync.between(a, b, options(row.policy())).run();
        assertThat(first.failures()).isEmpty();
        assertThat(first.filesCopied()).isZero();
        row.onA().apply(a);
        row.onB().apply(b);
        Map<String, String> editedA = files(a);
        Map<String, String> editedB = files(b);
        SyncReport r = Sync.between(a, b, options(row.policy())).run();
        assertThat(r.failures()).as("failures: %s", r.failures()).hasSize(row.failures());
        if (row.expected() == null) {
            assertThat(files(a)).isEqualTo(editedA);
            assertThat(files(b)).isEqualTo(editedB);
            return;
        }
        assertThat(files(a)).as("A").isEqualTo(row.expected());
        assertThat(files(b)).as("B").isEqualTo(row.expected());
        assertThat(Sync.between(a, b, options(row.policy())).dryRun().actions()).as("a third run").isEmpty();
    }

    /** Every file below the root, path to content, conflict copies' side ids written as {@code ID}. */
    static Map<String, String> files(SyncTarget t) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (Entry e : walk(t, SyncPath.ROOT)) {
            if (e.isFile()) {
                try (InputStream in = t.open(e.path(), 0)) {
                    out.put(e.path().toString().replaceAll("(\\.sync-conflict-\\d{8}-\\d{6}-)[A-Z0-9]{7}", "$1ID"),
                            new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static List<Entry> walk(SyncTarget t, SyncPath dir) throws IOException {
        List<Entry> here = new ArrayList<>();
        try {
            t.list(dir, new ListingSink() {
                @Override
                public void entry(Entry e) {
                    here.add(e);
                }

                @Override
                public void notice(ListingNotice notice) {}
            });
        } catch (NotFoundException e) {
            return here;
        }
        List<Entry> all = new ArrayList<>();
        for (Entry e : here) {
            all.add(e);
            if (e.isDirectory()) {
                all.addAll(walk(t, e.path()));
            }
        }
        return all;
    }

    private static void deleteTree(SyncTarget t, SyncPath path) throws IOException {
        Entry e = t.stat(path).orElse(null);
        if (e == null) {
            return;
        }
        if (e.isDirectory()) {
            for (Entry child : walk(t, path)) {
                if (child.path().parent().equals(path)) {
                    deleteTree(t, child.path());
                }
            }
        }
        t.delete(path);
    }
}
