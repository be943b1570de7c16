package dev.ferry.core;

import java.util.List;
import java.util.Optional;

/**
 * What a run will do, computed before anything changes: the dry run. Actions are ordered for
 * execution: directories (parents first), then copies and time updates, then deletions (files,
 * then directories deepest first).
 *
 * @param mode copy or mirror
 * @param source where files come from (no credentials)
 * @param destination where they go (no credentials)
 * @param actions what will be done, in order
 * @param unchangedFiles files already equal on both sides
 * @param scanFailures what could not be listed or compared
 * @param deletionsWithheld if set, why the deletions were left out of {@link #actions()}: the
 *     delete limit, a source that listed empty, or listing errors on the source
 * @param withheldDeletions how many files would have been deleted but were withheld (0 when
 *     nothing was withheld)
 */
public record SyncPlan(
        SyncMode mode,
        String source,
        String destination,
        List<SyncAction> actions,
        long unchangedFiles,
        List<SyncFailure> scanFailures,
        Optional<String> deletionsWithheld,
        long withheldDeletions) {

    /** Copies the lists. */
    public SyncPlan {
        actions = List.copyOf(actions);
        scanFailures = List.copyOf(scanFailures);
    }

    /** A plan that does not count its withheld deletions (the form before that count existed). */
    public SyncPlan(SyncMode mode, String source, String destination, List<SyncAction> actions, long unchangedFiles,
            List<SyncFailure> scanFailures, Optional<String> deletionsWithheld) {
        this(mode, source, destination, actions, unchangedFiles, scanFailures, deletionsWithheld, 0);
    }

    /** Number of files to copy. */
    public long filesToCopy() {
        return actions.stream().filter(a -> a.kind() == SyncAction.Kind.COPY).count();
    }

    /** Bytes to copy. */
    public long bytesToCopy() {
        return actions.stream()
                .filter(a -> a.kind() == SyncAction.Kind.COPY)
                .mapToLong(a -> ((SyncAction.CopyFile) a).source().size())
                .sum();
    }

    /** Number of files and directories to delete. */
    public long deletions() {
        return actions.stream()
                .filter(a -> a.kind().isDeletion())
                .count();
    }

    /** Whether the destination already matches (nothing to do, nothing failed, nothing withheld). */
    public boolean isInSync() {
        return actions.isEmpty() && scanFailures.isEmpty() && deletionsWithheld.isEmpty();
    }
}
