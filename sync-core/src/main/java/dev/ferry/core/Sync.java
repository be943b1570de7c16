package dev.ferry.core;

import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * A run between two targets: the entry point of the engine.
 *
 * <pre>{@code
 * Sync sync = Sync.between(source, destination, SyncOptions.builder().mode(SyncMode.MIRROR).build());
 * SyncPlan plan = sync.dryRun();      // what would happen; touches nothing
 * SyncReport report = sync.run();     // scan, plan, execute
 * }</pre>
 *
 * <p>In {@link SyncMode#TWO_WAY two-way} mode the run also reads and writes the pair's state
 * (what both sides looked like after the last run) under
 * {@link SyncOptions#stateDirectory()}, holds a lock so two runs on one pair never overlap, and
 * advances the state only for actions that finished: a run that dies at any point is simply
 * run again.
 *
 * <p>A one-way run to or from a target that keeps no modification times (a plain WebDAV
 * server) likewise remembers what it copied, in the same directory, so that an edit keeping the
 * size is still seen and an unchanged file is not sent again on every run.
 *
 * <p>The targets stay open and belong to the caller. A {@code Sync} may be run again; each run
 * scans afresh.
 */
public final class Sync {

    private final SyncTarget source;
    private final SyncTarget destination;
    private final SyncOptions options;
    private final StateLayout layout;

    private Sync(SyncTarget source, SyncTarget destination, SyncOptions options) {
        this.source = Objects.requireNonNull(source, "source");
        this.destination = Objects.requireNonNull(destination, "destination");
        this.options = Objects.requireNonNull(options, "options");
        this.layout = StateLayout.of(options);
    }

    /** A run from {@code source} to {@code destination} (for two-way: between A and B). */
    public static Sync between(SyncTarget source, SyncTarget destination, SyncOptions options) {
        return new Sync(source, destination, options);
    }

    /** The options. */
    public SyncOptions options() {
        return options;
    }

    /**
     * Scans both sides and returns what a run would do, changing nothing on either target.
     *
     * @throws dev.ferry.api.NotFoundException if the source of a one-way run does not exist
     * @throws dev.ferry.api.InvalidTargetException if one target lies inside the other
     */
    public SyncPlan dryRun() throws IOException {
        try (RunMemory memory = RunMemory.open(source, destination, options, layout, true)) {
            return memory.plan(newRetrier());
        }
    }

    /**
     * Carries out a plan from {@link #dryRun()} of a one-way {@code Sync}. Failures of single files
     * are in the report, not thrown. (A two-way plan depends on the state at planning time: use
     * {@link #run()}.)
     */
    public SyncReport execute(SyncPlan plan) {
        if (plan.mode() == SyncMode.TWO_WAY) {
            throw new IllegalArgumentException("a two-way plan is carried out by run(), which keeps the state");
        }
        options.listener().planned(plan);
        Instant started = Instant.now(options.clock());
        try (RunMemory memory = RunMemory.open(source, destination, options, layout, false)) {
            return carryOut(memory, plan, started, newRetrier());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot keep the record of copies for " + this, e);
        }
    }

    /**
     * Scans, plans and executes. Failures of single files are in the report; this throws only
     * when the run cannot start (the source is missing or cannot be listed, the targets nest,
     * another run holds the pair's lock).
     */
    public SyncReport run() throws IOException {
        Instant started = Instant.now(options.clock());
        Retrier retrier = newRetrier();
        try (RunMemory memory = RunMemory.open(source, destination, options, layout, false)) {
            SyncPlan plan = memory.plan(retrier);
            options.listener().planned(plan);
            return carryOut(memory, plan, started, retrier);
        }
    }

    private SyncReport carryOut(RunMemory memory, SyncPlan plan, Instant started, Retrier retrier) throws IOException {
        SyncReport report = new Executor(source, destination, options, retrier, memory.observer(),
                memory.guardsChanges(), layout).execute(plan, started);
        memory.finish(plan);
        return report;
    }

    /** One of this pair's files in the state directory ({@code .state}, {@code .lock}, {@code .copies}). */
    Path stateFile(String suffix) {
        return layout.pairFile(source.description(), destination.description(), suffix);
    }

    private Retrier newRetrier() {
        return new Retrier(options.retry(), options.listener());
    }

    @Override
    public String toString() {
        return "Sync[" + options.mode() + " " + source.description() + " -> " + destination.description() + "]";
    }
}
