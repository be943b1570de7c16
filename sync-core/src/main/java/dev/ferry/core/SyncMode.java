package dev.ferry.core;

/** What a run does: copy or mirror one way, or sync both ways. */
public enum SyncMode {
    /** Add new files and update changed ones; never delete anything. */
    COPY,
    /** Make the destination identical to the source: also delete what the source lacks. */
    MIRROR,
    /**
     * Changes on either side, deletions included, go to the other, judged against what both
     * sides looked like after the last run (kept in a state file); what changed on both sides
     * is a conflict, settled by the {@link ConflictPolicy}.
     */
    TWO_WAY
}
