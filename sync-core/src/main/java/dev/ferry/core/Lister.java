package dev.ferry.core;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.RecursiveLister;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
    /** Fast list: the rest of a target's tree, listed in one go, by directory; taken as the walk reaches each. */
    private final Map<SyncTarget, Map<SyncPath, Listing>> prefetched = new ConcurrentHashMap<>();

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
        Map<SyncPath, Listing> tree = prefetched.get(target);
        if (tree != null) {
            Listing l = tree.remove(dir);
            return l != null ? l : Listing.EMPTY; // a directory with nothing below it
        }
        boolean whole = dir.isRoot() && options.fastList() && target.ability(RecursiveLister.class).isPresent();
        try {
            return retrier.call("list " + side + " " + dir, () -> {
                Gatherer g = new Gatherer(dir, whole, side);
                if (whole) {
                    Shard shard = options.filter().shard().orElse(null);
                    if (shard != null && shard.byKeyRange()) {
                        // Only this shard's range: a flat prefix is listed about 1/N by each shard.
                        target.ability(RecursiveLister.class).orElseThrow().listRecursive(dir, g,
                                shard.bounds().from(shard.index()), shard.bounds().until(shard.index()));
                    } else {
                        target.ability(RecursiveLister.class).orElseThrow().listRecursive(dir, g);
                    }
                    Map<SyncPath, Listing> all = g.listings();
                    Listing root = all.remove(dir);
                    prefetched.put(target, new ConcurrentHashMap<>(all));
                    return root != null ? root : Listing.EMPTY;
                }
                target.list(dir, g);
                return g.listings().getOrDefault(dir, Listing.EMPTY);
            });
        } catch (NotFoundException e) {
            throw e;
        } catch (IOException e) {
            failures.add(new SyncFailure(dir.toString(), SyncFailure.Stage.LIST,
                    "cannot list " + side + " directory: " + Errors.describe(e), Errors.isTransient(e)));
            return null;
        }
    }

    /**
     * Collects what a listing streams into per-directory listings: one directory's children, or
     * (fast list) every directory below one, with the directories a flat key listing only implies.
     */
    private final class Gatherer implements ListingSink {
        private final SyncPath top;
        private final boolean recursive;
        private final String side;
        private final Map<SyncPath, Parts> dirs = new HashMap<>();

        /** One directory's listing as it is gathered. */
        private final class Parts {
            final TreeMap<String, Entry> entries = new TreeMap<>();
            boolean complete = true;
            boolean namesMissing;
        }

        Gatherer(SyncPath top, boolean recursive, String side) {
            this.top = top;
            this.recursive = recursive;
            this.side = side;
            parts(top);
        }

        private Parts parts(SyncPath dir) {
            return dirs.computeIfAbsent(dir, d -> new Parts());
        }

        Map<SyncPath, Listing> listings() {
            Map<SyncPath, Listing> out = new HashMap<>();
            dirs.forEach((d, p) -> out.put(d, new Listing(p.entries, p.complete, p.namesMissing)));
            return out;
        }

        @Override
        public void entry(Entry e) {
            boolean inside = recursive ? !e.path().equals(top) && top.contains(e.path())
                    : !e.path().isRoot() && e.path().parent().equals(top);
            if (!inside) {
                failures.add(new SyncFailure(top.toString(), SyncFailure.Stage.LIST,
                        "the " + side + " listing returned an entry outside the directory: " + e.path(), false));
                parts(top).complete = false;
                return;
            }
            Parts here = parts(e.path().parent());
            Entry old = here.entries.putIfAbsent(key(e.path().name()), e);
            if (old != null) {
                if (recursive && old.isDirectory() && e.isDirectory()) {
                    here.entries.put(key(e.path().name()), e); // listed beats implied
                } else {
                    failures.add(new SyncFailure(e.path().toString(), SyncFailure.Stage.LIST,
                            foldCase ? "differs only in case from " + old.path()
                                    + ", and the destination does not tell case apart"
                                    : "listed twice", false));
                }
            }
            if (recursive) {
                // A flat key listing implies its directories: each ancestor is an entry of its parent.
                for (SyncPath p = e.path().parent(); !p.equals(top); p = p.parent()) {
                    parts(p.parent()).entries.putIfAbsent(key(p.name()), Entry.directory(p).build());
                    parts(p);
                }
            }
            long n = seen.incrementAndGet();
            if ((n & 1023) == 0) {
                options.listener().scanProgress(n);
            }
        }

        @Override
        public void notice(ListingNotice notice) {
            options.listener().notice(notice);
            Parts where = parts(recursive ? directoryOf(notice.location()) : top);
            if (notice.reason() == ListingNotice.Reason.UNREPRESENTABLE_NAME) {
                where.namesMissing = true;
            }
            if (notice.reason().isError()) {
                failures.add(new SyncFailure(notice.location(), SyncFailure.Stage.LIST,
                        "not synced (" + side + "): " + notice.detail(), false));
                if (notice.reason() == ListingNotice.Reason.UNREADABLE) {
                    where.complete = false;
                }
            }
        }

        /** The directory a notice's location lies in; the top where that cannot be told. */
        private SyncPath directoryOf(String location) {
            int slash = location.lastIndexOf('/');
            if (slash <= 0) {
                return top;
            }
            try {
                SyncPath d = SyncPath.of(location.substring(0, slash));
                return top.contains(d) ? d : top;
            } catch (IllegalArgumentException e) {
                return top;
            }
        }
    }
}
