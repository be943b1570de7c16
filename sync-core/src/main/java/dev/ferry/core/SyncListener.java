package dev.ferry.core;

import dev.ferry.api.ListingNotice;
import java.time.Duration;

/**
 * Progress of a run, for progress bars and logs. Called from the engine's worker threads, so
 * implementations must be thread-safe and quick. Every method has an empty default.
 */
public interface SyncListener {

    /** Does nothing. */
    SyncListener NONE = new SyncListener() {};

    /** The scan has looked at this many entries so far (both sides). */
    default void scanProgress(long entriesSeen) {}

    /** A listing left something out (a symlink, a hostile name, a special file). */
    default void notice(ListingNotice notice) {}

    /** The plan is complete; execution starts next (not called for a dry run). */
    default void planned(SyncPlan plan) {}

    /** An action starts. */
    default void started(SyncAction action) {}

    /** Bytes of a copy went through (called often, with the increment). */
    default void transferred(SyncAction action, long bytes) {}

    /** An action finished well. */
    default void finished(SyncAction action) {}

    /** An action failed for good (after any retries). */
    default void failed(SyncAction action, SyncFailure failure) {}

    /** An operation failed transiently and will be retried after {@code delay}. */
    default void retrying(String operation, int attempt, Duration delay, Exception cause) {}
}
