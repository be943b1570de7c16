package dev.ferry.core;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lists one directory of one side for a planner: into a map ordered by name (folded to lower
 * case when the destination does not tell case apart), with retries, and with every refusal
 * recorded as a failure. Entries that claim to lie outside the directory are not believed.
 */
final class Lister {

    /**
     * One directory's listing. {@code complete} is false when something in it could not be
     * listed; {@code namesMissing} is true when a name in it could not be represented (see
     * {@link ListingNotice.Reason#UNREPRESENTABLE_NAME}): then the absence of a name proves
     * nothing there, and planners must not read it as a deletion.
     */
    record Listing(Map<String, Entry> entries, boolean complete, boolean namesMissing) {
        /** A listing of a directory that is not there: empty, complete. */
        static final Listing EMPTY = new Listing(Map.of(), true, false);
    }

    private final SyncOptions options;
    private final Retrier retrier;
    private final boolean foldCase;
    private final Queue<SyncFailure> failures;
    private final AtomicLong seen = new AtomicLong();

    Lister(SyncOptions options, Retrier retrier, boolean foldCase, Queue<SyncFailure> failures) {
        this.options = options;
        this.retrier = retrier;
        this.foldCase = foldCase;
        this.failures = failures;
    }

    /** Entries seen so far, both sides. */
    long seen() {
        return seen.get();
    }

    /** The key a name is merged by. */
    String key(String name) {
        return foldCase ? name.toLowerCase(Locale.ROOT) : name;
    }

    /**
     * Lists {@code dir}; {@code null} (after recording the failure) if the listing failed.
     *
     * @param side "source" or "destination", for messages
     * @throws NotFoundException if the directory does not exist
     */
    Listing list(SyncTarget target, SyncPath dir, String side) throws IOException {
        try {
            return retrier.call("list " + side + " " + dir, () -> listOnce(target, dir, side));
        } catch (NotFoundException e) {
            throw e;
        } catch (IOException e) {
            failures.add(new SyncFailure(dir.toString(), SyncFailure.Stage.LIST,
                    "cannot list " + side + " directory: " + Errors.describe(e), Errors.isTransient(e)));
            return null;
        }
    }

    private Listing listOnce(SyncTarget target, SyncPath dir, String side) throws IOException {
        TreeMap<String, Entry> out = new TreeMap<>();
        boolean[] complete = {true};
        boolean[] namesMissing = {false};
        target.list(dir, new ListingSink() {
            @Override
            public void entry(Entry e) {
                if (!e.path().parent().equals(dir) || e.path().isRoot()) {
                    failures.add(new SyncFailure(dir.toString(), SyncFailure.Stage.LIST,
                            "the " + side + " listing returned an entry outside the directory: " + e.path(), false));
                    complete[0] = false;
                    return;
                }
                Entry old = out.putIfAbsent(key(e.path().name()), e);
                if (old != null) {
                    failures.add(new SyncFailure(e.path().toString(), SyncFailure.Stage.LIST,
                            foldCase ? "differs only in case from " + old.path()
                                    + ", and the destination does not tell case apart"
                                    : "listed twice", false));
                }
                long n = seen.incrementAndGet();
                if ((n & 1023) == 0) {
                    options.listener().scanProgress(n);
                }
            }

            @Override
            public void notice(ListingNotice notice) {
                options.listener().notice(notice);
                if (notice.reason() == ListingNotice.Reason.UNREPRESENTABLE_NAME) {
                    namesMissing[0] = true;
                }
                if (notice.reason().isError()) {
                    failures.add(new SyncFailure(notice.location(), SyncFailure.Stage.LIST,
                            "not synced (" + side + "): " + notice.detail(), false));
                    if (notice.reason() == ListingNotice.Reason.UNREADABLE) {
                        complete[0] = false;
                    }
                }
            }
        });
        return new Listing(out, complete[0], namesMissing[0]);
    }
}
