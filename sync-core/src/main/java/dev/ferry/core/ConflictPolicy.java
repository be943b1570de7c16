package dev.ferry.core;

/**
 * What a two-way run does with a file that changed on both sides since the last run (and is not
 * now equal). A deletion is never a conflict: a change always beats it.
 */
public enum ConflictPolicy {
    /**
     * The newer modification time wins (Syncthing's rule); a tie goes to the larger file, then to
     * the source, so both sides of a pair always decide alike. The other version is overwritten.
     */
    NEWEST,
    /** The source's (A's) version wins. */
    SOURCE_WINS,
    /** The destination's (B's) version wins. */
    DESTINATION_WINS,
    /**
     * The newer version wins the name, the other is kept beside it as
     * {@code name.sync-conflict-YYYYMMDD-HHMMSS-<side>.ext} on both sides (Syncthing's naming).
     * Nothing is lost. The default.
     */
    KEEP_BOTH,
    /** Neither side is touched; the conflict is reported as a failure until someone resolves it. */
    STOP
}
