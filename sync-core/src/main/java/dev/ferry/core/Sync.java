package dev.ferry.core;

import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/**
 * A one-way run from a source target to a destination target: the entry point of the engine.
 *
 * <pre>{@code
 * Sync sync = Sync.between(source, destination, SyncOptions.builder().mode(SyncMode.MIRROR).build());
 * SyncPlan plan = sync.dryRun();      // what would happen; touches nothing
 * SyncReport report = sync.run();     // scan, plan, execute
 * }</pre>
 *
 * <p>The targets stay open and belong to the caller. A {@code Sync} may be run again; each run
 * scans afresh.
 */
public final class Sync {

    private final SyncTarget source;
    private final SyncTarget destination;
    private final SyncOptions options;

    private Sync(SyncTarget source, SyncTarget destination, SyncOptions options) {
        this.source = Objects.requireNonNull(source, "source");
        this.destination = Objects.requireNonNull(destination, "destination");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** A run from {@code source} to {@code destination}. */
    public static Sync between(SyncTarget source, SyncTarget destination, SyncOptions options) {
        return new Sync(source, destination, options);
    }

    /** The options. */
    public SyncOptions options() {
        return options;
    }

    /**
     * Scans both sides and returns what a run would do, changing nothing.
     *
     * @throws dev.ferry.api.NotFoundException if the source does not exist
     * @throws dev.ferry.api.InvalidTargetException if one target lies inside the other
     */
    public SyncPlan dryRun() throws IOException {
        return new Planner(source, destination, options, newRetrier()).plan();
    }

    /**
     * Carries out a plan from {@link #dryRun()} of this {@code Sync}. Failures of single files are
     * in the report, not thrown.
     */
    public SyncReport execute(SyncPlan plan) {
        options.listener().planned(plan);
        return new Executor(source, destination, options, newRetrier()).execute(plan, Instant.now(options.clock()));
    }

    /**
     * Scans, plans and executes. Failures of single files are in the report; this throws only
     * when the run cannot start (the source is missing or cannot be listed, the targets nest).
     */
    public SyncReport run() throws IOException {
        Instant started = Instant.now(options.clock());
        Retrier retrier = newRetrier();
        SyncPlan plan = new Planner(source, destination, options, retrier).plan();
        options.listener().planned(plan);
        return new Executor(source, destination, options, retrier).execute(plan, started);
    }

    private Retrier newRetrier() {
        return new Retrier(options.retry(), options.listener());
    }
}
