package dev.ferry.backend.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One listing's view of temporary names ({@link TemporaryNames}): hides them from the entries
 * and collects those older than a cut-off, which the backend deletes once the listing is done
 * (an interrupted write of an earlier process, whichever backend left it). Every backend's
 * {@code list()} goes through this, so hiding and sweeping behave alike everywhere.
 *
 * <pre>{@code
 * TemporaryFiles temps = new TemporaryFiles(Instant.now().minus(tempMaxAge));
 * for (each listed name) {
 *     if (temps.hide(name, modified)) continue;
 *     ... pass the entry on ...
 * }
 * for (String stale : temps.stale()) delete(directory.child(stale));
 * }</pre>
 *
 * Not thread-safe: one instance per listing call.
 */
public final class TemporaryFiles {

    private final Instant staleBefore;
    private final List<String> stale = new ArrayList<>();
    private final List<String> asides = new ArrayList<>();

    /** @param staleBefore temporary files last modified before this are swept */
    public TemporaryFiles(Instant staleBefore) {
        this.staleBefore = staleBefore;
    }

    /**
     * Whether {@code name} is a temporary name, to be left out of the listing; remembers it for
     * sweeping when {@code modified} is known and before the cut-off (an unknown time is never
     * swept: a write may be under way).
     */
    public boolean hide(String name, Optional<Instant> modified) {
        if (TemporaryNames.isAside(name)) {
            asides.add(name);
            return true;
        }
        if (!TemporaryNames.isTemporary(name)) {
            return false;
        }
        if (modified.isPresent() && modified.get().isBefore(staleBefore)) {
            stale.add(name);
        }
        return true;
    }

    /**
     * The aside names seen ({@link TemporaryNames#newAsideName}): a user's file a conditional
     * write took aside, left there if the writer died before putting it back. Never delete one:
     * put it back at {@link TemporaryNames#asideOriginal} without replacing anything there, or
     * else beside it under a {@link ConflictNames} name. (A writer still at work then finds its
     * aside gone and fails its write; nothing is lost either way.)
     */
    public List<String> asides() {
        return List.copyOf(asides);
    }

    /** The stale temporary names seen, in listing order. */
    public List<String> stale() {
        return List.copyOf(stale);
    }
}
