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

/** Collects a directory listing, for tests that look at a small directory as a whole. */
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

    private static void checkThread(Thread caller) {
        if (Thread.currentThread() != caller) {
            throw new AssertionError("listing sink called on " + Thread.currentThread().getName()
                    + ", not on the thread that called list (" + caller.getName() + ")");
        }
    }
}
