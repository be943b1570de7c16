package dev.ferry.core;

import dev.ferry.api.Entry;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncAction.Side;
import java.io.IOException;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one tree walk both planners share (rclone's march): directory by directory on
 * {@code checkers} threads, it lists each side where the directory exists, merges the two
 * listings (and what the run remembers) by name, and hands each name to the planner's
 * {@link Decider}, which decides for that path and asks for the subdirectories it wants walked.
 * Memory grows with the largest directory and the plan, never with a whole tree held twice.
 *
 * @param <R> what the run remembers per name (two-way: a {@link StateRecord}; one-way: nothing)
 */
final class TreeWalk<R> {

    /** A planner's decisions, name by name. */
    interface Decider<R> {
        /** What the run remembers of {@code dir}'s children, by lister key; names only remembered are judged too. */
        default Map<String, R> remembered(SyncPath dir) {
            return Map.of();
        }

        /**
         * One name of {@code dir}: its entry on each side (null where absent) and what is remembered
         * of it (null if nothing); {@code la}/{@code lb} are the whole listings, for names beside it.
         */
        void decide(SyncPath dir, Entry a, Entry b, R remembered, Lister.Listing la, Lister.Listing lb)
                throws IOException;

        /** {@code dir} could not be listed on {@code side} (the failure is recorded): keep what is there. */
        void unlisted(SyncPath dir, Side side);
    }

    private final SyncTarget a;
    private final SyncTarget b;
    private final Lister lister;
    private final Queue<SyncFailure> failures;
    private final boolean missingOnBIsEmpty;
    private final AtomicInteger errorsOnA = new AtomicInteger();
    private final AtomicInteger errorsOnB = new AtomicInteger();
    private Decider<R> decider;
    private March march;

    /**
     * @param missingOnBIsEmpty whether a directory that vanishes from {@code b} during the scan is
     *     simply empty there (a one-way destination) rather than a listing failure
     */
    TreeWalk(SyncTarget a, SyncTarget b, Lister lister, Queue<SyncFailure> failures, boolean missingOnBIsEmpty) {
        this.a = a;
        this.b = b;
        this.lister = lister;
        this.failures = failures;
        this.missingOnBIsEmpty = missingOnBIsEmpty;
    }

    /** Walks the whole tree from the two root listings; returns when every directory is decided. */
    void run(int checkers, Lister.Listing rootA, Lister.Listing rootB, Decider<R> decider) throws IOException {
        this.decider = decider;
        count(Side.SOURCE, rootA);
        count(Side.DESTINATION, rootB);
        March.run(checkers, m -> {
            march = m;
            return () -> merge(SyncPath.ROOT, rootA, rootB);
        });
    }

    /** Walks {@code dir} too, listing the sides it exists on. */
    void descend(SyncPath dir, boolean onA, boolean onB) {
        march.submit(() -> visit(dir, onA, onB));
    }

    /** Listings of {@code side} that failed or came back incomplete. */
    int errorsOn(Side side) {
        return (side == Side.SOURCE ? errorsOnA : errorsOnB).get();
    }

    private void visit(SyncPath dir, boolean onA, boolean onB) throws IOException {
        Lister.Listing la = onA ? list(a, dir, Side.SOURCE) : Lister.Listing.EMPTY;
        if (la == null) {
            decider.unlisted(dir, Side.SOURCE);
            return;
        }
        Lister.Listing lb = onB ? list(b, dir, Side.DESTINATION) : Lister.Listing.EMPTY;
        if (lb == null) {
            decider.unlisted(dir, Side.DESTINATION);
            return;
        }
        merge(dir, la, lb);
    }

    /** One side of a directory; {@code null} when it could not be listed (recorded). */
    private Lister.Listing list(SyncTarget t, SyncPath dir, Side side) throws IOException {
        Lister.Listing l;
        try {
            l = lister.list(t, dir, side == Side.SOURCE ? "source" : "destination");
        } catch (NotFoundException e) {
            if (side == Side.DESTINATION && missingOnBIsEmpty) {
                return Lister.Listing.EMPTY;
            }
            failures.add(new SyncFailure(dir.toString(), SyncFailure.Stage.LIST,
                    (side == Side.SOURCE ? "source" : "destination") + " directory vanished during the scan", true));
            l = null;
        }
        count(side, l);
        return l;
    }

    private void count(Side side, Lister.Listing l) {
        if (l == null || !l.complete()) {
            (side == Side.SOURCE ? errorsOnA : errorsOnB).incrementAndGet();
        }
    }

    private void merge(SyncPath dir, Lister.Listing la, Lister.Listing lb) throws IOException {
        Map<String, R> remembered = decider.remembered(dir);
        Set<String> names = new TreeSet<>(la.entries().keySet());
        names.addAll(lb.entries().keySet());
        names.addAll(remembered.keySet());
        for (String name : names) {
            decider.decide(dir, la.entries().get(name), lb.entries().get(name), remembered.get(name), la, lb);
        }
    }
}
