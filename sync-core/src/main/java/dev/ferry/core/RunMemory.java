package dev.ferry.core;

import dev.ferry.api.SyncTarget;
import java.io.IOException;

/**
 * What a run remembers between runs, chosen once per run: nothing (times and sizes tell), a
 * {@link CopyMemory} (one-way, where times cannot tell cheaply), or {@link TwoWayState} (the
 * pair as both sides were after the last run, under a lock). It plans with what it remembers,
 * observes every finished action, and writes what must outlive the run.
 */
interface RunMemory extends AutoCloseable {

    /**
     * Opens the memory this run needs.
     *
     * @param readOnly for a dry run: plans with what is remembered, writes nothing
     */
    static RunMemory open(SyncTarget source, SyncTarget destination, SyncOptions options, StateLayout layout,
            boolean readOnly) throws IOException {
        if (options.mode() == SyncMode.TWO_WAY) {
            return TwoWayState.open(source, destination, options, layout, readOnly);
        }
        if (CopyMemory.needed(source, destination, options)) {
            return CopyMemory.open(source, destination, options, layout, readOnly);
        }
        return new None(source, destination, options);
    }

    /** Scans both sides and plans, judging by what is remembered. */
    SyncPlan plan(Retrier retrier) throws IOException;

    /** Told about every finished action, to remember its result. */
    Executor.Observer observer();

    /**
     * Whether the executor must look at a file again before replacing or deleting it (two-way:
     * someone may be editing it now).
     */
    boolean guardsChanges();

    /** After the plan was carried out: writes what the run changed. */
    void finish(SyncPlan plan) throws IOException;

    /** Releases what the memory holds (a pair's lock). */
    @Override
    void close() throws IOException;

    /** A run that remembers nothing. */
    record None(SyncTarget source, SyncTarget destination, SyncOptions options) implements RunMemory {

        @Override
        public SyncPlan plan(Retrier retrier) throws IOException {
            return new Planner(source, destination, options, retrier).plan();
        }

        @Override
        public Executor.Observer observer() {
            return (action, result) -> { };
        }

        @Override
        public boolean guardsChanges() {
            return false;
        }

        @Override
        public void finish(SyncPlan plan) {
            // nothing to remember
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
