package dev.ferry.testkit;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Collects a directory listing (tests that look at a small directory as a whole), or measures one (a large directory). */
public final class Listings {

    private Listings() {}

    /**
     * What one {@link SyncTarget#list} call delivered.
     *
     * @param entries the entries, sorted by path
     * @param notices the notices, in the order given
     */
    public record Result(List<Entry> entries, List<ListingNotice> notices) {

        /** Copies. */
        public Result {
            entries = List.copyOf(entries);
            notices = List.copyOf(notices);
        }

        /** The entries' names (last segments), sorted. */
        public List<String> names() {
            return entries.stream().map(e -> e.path().name()).sorted().collect(Collectors.toList());
        }

        /** The entry of one child, by name. */
        public Optional<Entry> entry(String name) {
            return entries.stream().filter(e -> e.path().name().equals(name)).findFirst();
        }

        /** The notices of one kind. */
        public List<ListingNotice> notices(ListingNotice.Reason reason) {
            return notices.stream().filter(n -> n.reason() == reason).collect(Collectors.toList());
        }
    }

    /**
     * Lists {@code dir} and collects everything; also checks the SPI rule that the sink is called
     * on the thread that called {@code list}.
     */
    public static Result collect(SyncTarget target, SyncPath dir) throws IOException {
        Thread caller = Thread.currentThread();
        List<Entry> entries = new ArrayList<>();
        List<ListingNotice> notices = new ArrayList<>();
        target.list(dir, new ListingSink() {
            @Override
            public void entry(Entry entry) {
                checkThread(caller);
                entries.add(entry);
            }

            @Override
            public void notice(ListingNotice notice) {
                checkThread(caller);
                notices.add(notice);
            }
        });
        entries.sort(Comparator.comparing(Entry::path));
        return new Result(entries, notices);
    }

    /** Lists {@code dir} of a path given as a string. */
    public static Result collect(SyncTarget target, String dir) throws IOException {
        return collect(target, SyncPath.of(dir));
    }

    /**
     * What listing a large directory cost, for the hostile-server tests' bounded-memory checks.
     *
     * @param entries entries delivered (counted, not kept)
     * @param notices notices delivered
     * @param millis wall time of the {@code list} call
     * @param heapBefore heap in use before, after a GC
     * @param heapAtFirstEntry heap in use when the first entry arrived, after a GC: what the target
     *     holds of the directory at that point (all of it for a target that reads a directory
     *     whole, little for one that streams)
     * @param heapPeak the most heap in use seen at every 20,000th entry, garbage included
     * @param heapAfter heap in use after, after a GC: what stays
     */
    public record Cost(long entries, long notices, long millis, long heapBefore, long heapAtFirstEntry, long heapPeak,
            long heapAfter) {

        /** Heap held per entry when the first entry arrived, over what was in use before. */
        public long bytesPerEntryHeld() {
            return entries == 0 ? 0 : Math.max(0, heapAtFirstEntry - heapBefore) / entries;
        }

        /** One line for a {@code [reliability]} report: count, time, heap before, peak and held per entry. */
        public String summary() {
            return String.format("%,d entries listed in %,d ms, heap %d MiB before, %d MiB peak sampled, %d B per entry"
                    + " held when the first entry arrived", entries, millis, heapBefore >> 20, heapPeak >> 20,
                    bytesPerEntryHeld());
        }
    }

    /** Lists {@code dir} counting what arrives, and measures the heap it takes (see {@link Cost}). */
    public static Cost measure(SyncTarget target, SyncPath dir) throws IOException {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        long[] seen = {0, 0, 0, 0}; // entries, notices, heap at the first entry, peak
        long start = System.nanoTime();
        target.list(dir, new ListingSink() {
            @Override
            public void entry(Entry entry) {
                if (seen[0] == 0) {
                    System.gc();
                    seen[2] = rt.totalMemory() - rt.freeMemory();
                }
                if (seen[0]++ % 20_000 == 0) {
                    seen[3] = Math.max(seen[3], rt.totalMemory() - rt.freeMemory());
                }
            }

            @Override
            public void notice(ListingNotice notice) {
                seen[1]++;
            }
        });
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.gc();
        return new Cost(seen[0], seen[1], millis, before, seen[2], seen[3], rt.totalMemory() - rt.freeMemory());
    }

    private static void checkThread(Thread caller) {
        if (Thread.currentThread() != caller) {
            throw new AssertionError("listing sink called on " + Thread.currentThread().getName()
                    + ", not on the thread that called list (" + caller.getName() + ")");
        }
    }
}
