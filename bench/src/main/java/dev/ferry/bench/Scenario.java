package dev.ferry.bench;

/** What the destination looks like before a timed run. */
enum Scenario {
    /** Destination empty (cleared before every run, not timed). */
    INITIAL,
    /** Destination already identical to the source; nothing may change. */
    NOOP,
    /** 1% of the source files (at least one) rewritten with new content and mtime before every run. */
    CHANGED,
    /** The tool's own destination copied back into an empty local directory (remote pairs only). */
    DOWNLOAD;

    String label(Dataset d) {
        return switch (this) {
            case INITIAL -> d.name() + ": initial sync";
            case NOOP -> d.name() + ": no-op re-sync";
            case DOWNLOAD -> d.name() + ": download to an empty directory";
            case CHANGED -> d.changesPerRound() * 100 == d.count()
                    ? d.name() + ": re-sync, 1% changed"
                    : d.name() + ": re-sync, " + d.changesPerRound() + " of " + d.count() + " changed";
        };
    }
}
