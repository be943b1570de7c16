package dev.ferry.cli;

import dev.ferry.api.ListingNotice;
import dev.ferry.backend.support.ConflictNames;
import dev.ferry.core.SyncAction;
import dev.ferry.core.SyncPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a summary must tell beyond the engine's report: conflicts kept as copies, files moved
 * instead of sent again, names the listings left out, and warnings about a comparison that could
 * not be done as asked. Counted from the listener's events (a run) or from the plan (a dry run).
 */
final class RunFacts {

    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong moves = new AtomicLong();
    private final AtomicLong skippedNames = new AtomicLong();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private volatile long withheldDeletions;

    /** Whether a move sets a losing version aside under a conflict name (keep-both). */
    static boolean isConflictCopy(SyncAction.MoveFile move) {
        return ConflictNames.pattern(move.file().path().name()).matcher(move.path().name()).matches();
    }

    /** Counts one finished action. */
    void finished(SyncAction action) {
        if (action instanceof SyncAction.MoveFile m) {
            (isConflictCopy(m) ? conflicts : moves).incrementAndGet();
        }
    }

    /** Counts the moves and conflicts a dry run would make, and what it withholds. */
    void dryRun(SyncPlan plan) {
        plan.actions().forEach(this::finished);
        planned(plan);
    }

    /** Takes the count of withheld deletions from the plan about to run. */
    void planned(SyncPlan plan) {
        withheldDeletions = plan.withheldDeletions();
    }

    /** Counts a name a listing left out (not Ferry's own temporary files). */
    void notice(ListingNotice notice) {
        if (notice.reason() != ListingNotice.Reason.TEMPORARY_FILE) {
            skippedNames.incrementAndGet();
        }
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    /** Conflicts whose losing version was kept as a {@code .sync-conflict-} copy. */
    long conflicts() {
        return conflicts.get();
    }

    /** Files moved (renamed) instead of deleted and sent again; conflict copies not counted. */
    long moves() {
        return moves.get();
    }

    /** Names the listings left out: links, special files, hostile or unreadable names. */
    long skippedNames() {
        return skippedNames.get();
    }

    List<String> warnings() {
        return new ArrayList<>(warnings);
    }

    /** Files whose deletion a safety limit withheld. */
    long withheldDeletions() {
        return withheldDeletions;
    }
}
