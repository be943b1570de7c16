package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

    @TempDir
    Path tmp;

    static StateRecord record(String path, long size, Instant t) {
        Entry a = Entry.file(SyncPath.of(path), size).modTime(t).build();
        Entry b = Entry.file(SyncPath.of(path), size).version("\"etag-" + size + "\"")
                .hash(HashAlgorithm.MD5, "d41d8cd98f00b204e9800998ecf8427e").build();
        return StateRecord.of(a, b);
    }

    @Test
    void savesAndLoadsEveryFieldIncludingUnicodePathsAndOldTimes() throws IOException {
        Path file = tmp.resolve("pair.state");
        StateStore s = StateStore.load(file);
        assertThat(s.records()).isEmpty();
        StateRecord r1 = record("a/b/c.txt", 10, Instant.parse("2024-01-02T03:04:05.123456789Z"));
        StateRecord r2 = record("a/b/d 😀.txt", 0, Instant.parse("1969-07-20T20:17:40Z"));
        StateRecord r3 = record("a/b/d 😁.txt", 5, Instant.parse("2038-01-19T03:14:08Z"));
        StateRecord dir = StateRecord.of(Entry.directory(SyncPath.of("a/b")).build(), Entry.directory(SyncPath.of("a/b")).build());
        s.put(r1);
        s.put(r2);
        s.put(r3);
        s.put(dir);
        s.save();
        assertThat(tmp.resolve("pair.state.journal")).doesNotExist();
        StateStore back = StateStore.load(file);
        assertThat(back.records().values()).containsExactly(dir, r1, r2, r3);
    }

    @Test
    void aCrashBeforeSaveIsRecoveredFromTheJournalAndATornLastRecordIsIgnored() throws IOException {
        Path file = tmp.resolve("pair.state");
        StateStore s = StateStore.load(file);
        s.put(record("old.txt", 1, Instant.EPOCH));
        s.save();
        s.put(record("done.txt", 2, Instant.EPOCH));
        s.remove(SyncPath.of("old.txt"));
        s.put(record("torn.txt", 3, Instant.EPOCH));
        s.closeJournal(); // the process dies here: no save
        Path journal = tmp.resolve("pair.state.journal");
        try (RandomAccessFile raf = new RandomAccessFile(journal.toFile(), "rw")) {
            raf.setLength(raf.length() - 5); // the last record was being written
        }
        StateStore recovered = StateStore.load(file);
        assertThat(recovered.records().keySet()).extracting(SyncPath::toString).containsExactly("done.txt");
        assertThat(journal).doesNotExist();
        assertThat(StateStore.load(file).records().keySet()).extracting(SyncPath::toString).containsExactly("done.txt");
    }

    @Test
    void aDamagedStateFileIsAClearErrorNotAnEmptyState() throws IOException {
        Path file = tmp.resolve("pair.state");
        StateStore s = StateStore.load(file);
        s.put(record("x", 1, Instant.EPOCH));
        s.save();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> StateStore.load(file)).hasMessageContaining("damaged").hasMessageContaining(file.toString());
        Files.writeString(file, "not a state file");
        assertThatThrownBy(() -> StateStore.load(file)).hasMessageContaining("not a Ferry state file");
    }

    @Test
    void aMillionEntries() throws IOException {
        Path file = tmp.resolve("big.state");
        StateStore s = StateStore.load(file);
        Instant t = Instant.parse("2024-01-01T00:00:00.5Z");
        // Fill the map directly: journaling a million puts is not what a run does.
        java.util.NavigableMap<SyncPath, StateRecord> m = fieldRecords(s);
        for (int d = 0; d < 1000; d++) {
            for (int f = 0; f < 1000; f++) {
                StateRecord r = record(String.format("photos/%04d/IMG_%06d.jpg", d, f), 100_000 + f, t.plusSeconds(f));
                m.put(r.path(), r);
            }
        }
        long t0 = System.nanoTime();
        s.save();
        long saveMs = (System.nanoTime() - t0) / 1_000_000;
        long size = Files.size(file);
        t0 = System.nanoTime();
        StateStore back = StateStore.load(file);
        long loadMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(back.records()).hasSize(1_000_000);
        assertThat(back.records().get(SyncPath.of("photos/0999/IMG_000999.jpg")))
                .isEqualTo(record("photos/0999/IMG_000999.jpg", 100_999, t.plusSeconds(999)));
        System.out.printf("state store: 1,000,000 entries, %,d bytes on disk (%.1f per entry), save %d ms, load %d ms%n",
                size, size / 1e6, saveMs, loadMs);
        assertThat(size / 1_000_000.0).isLessThan(64);
    }

    @Test
    void aLoadedStateIsAFullyWorkingOrderedMap() throws IOException {
        Path file = tmp.resolve("order.state");
        StateStore s = StateStore.load(file);
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        // Names whose path order differs from plain string order ('/' sorts first in a path).
        for (String p : new String[] {"a/b", "a-b", "a/c/d", "a", "b", "a.x/y", "ab"}) {
            s.put(record(p, p.length(), t));
        }
        s.save();
        StateStore back = StateStore.load(file);
        assertThat(back.records().keySet()).containsExactlyElementsOf(s.records().keySet());
        assertThat(back.records().get(SyncPath.of("a/c/d"))).isEqualTo(record("a/c/d", 5, t));
        back.put(record("a/bb", 4, t));
        back.remove(SyncPath.of("a-b"));
        assertThat(back.records().keySet().stream().map(SyncPath::toString))
                .containsExactly("a", "a/b", "a/bb", "a/c/d", "a.x/y", "ab", "b");
        assertThat(back.records().headMap(SyncPath.of("a/c"), false)).hasSize(3);
    }

    @Test
    void recordsOutOfOrderAreStillLoadedIntoOrder() {
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        StateStore.SortedRecords in = new StateStore.SortedRecords();
        for (String p : new String[] {"b", "a/z", "a", "c", "b"}) {
            in.add(record(p, 1, t));
        }
        assertThat(in.toTreeMap().keySet().stream().map(SyncPath::toString)).containsExactly("a", "a/z", "b", "c");
        StateStore.SortedRecords sorted = new StateStore.SortedRecords();
        for (String p : new String[] {"a", "a/z", "b"}) {
            sorted.add(record(p, 1, t));
        }
        assertThat(sorted.toTreeMap().keySet().stream().map(SyncPath::toString)).containsExactly("a", "a/z", "b");
    }

    @SuppressWarnings("unchecked")
    private static java.util.NavigableMap<SyncPath, StateRecord> fieldRecords(StateStore s) {
        try {
            var f = StateStore.class.getDeclaredField("records");
            f.setAccessible(true);
            return (java.util.NavigableMap<SyncPath, StateRecord>) f.get(s);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
