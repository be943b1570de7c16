package dev.ferry.core;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

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

    private Sync(SyncTarget source, SyncTarget destination, SyncOptions options) {
        this.source = Objects.requireNonNull(source, "source");
        this.destination = Objects.requireNonNull(destination, "destination");
        this.options = Objects.requireNonNull(options, "options");
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
        if (options.mode() == SyncMode.TWO_WAY) {
            try (PairLock lock = PairLock.acquire(stateFile(".lock"))) {
                StateStore store = StateStore.load(stateFile(".state"));
                return new TwoWayPlanner(source, destination, options, newRetrier(), store.records()).plan().plan();
            }
        }
        if (CopyMemory.needed(source, destination, options)) {
            // Judged by the memory but not updated: a dry run changes nothing anywhere.
            return new Planner(source, destination, options, newRetrier(), CopyMemory.load(stateFile(".copies")))
                    .plan();
        }
        return new Planner(source, destination, options, newRetrier()).plan();
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
        if (CopyMemory.needed(source, destination, options)) {
            // Remember the copies, or the next run would take them for changes and copy again.
            try {
                CopyMemory memory = CopyMemory.load(stateFile(".copies"));
                SyncReport report = new Executor(source, destination, options, newRetrier(), memory.observer(), false)
                        .execute(plan, started);
                memory.save();
                return report;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot keep the record of copies for " + this, e);
            }
        }
        return new Executor(source, destination, options, newRetrier()).execute(plan, started);
    }

    /**
     * Scans, plans and executes. Failures of single files are in the report; this throws only
     * when the run cannot start (the source is missing or cannot be listed, the targets nest,
     * another run holds the pair's lock).
     */
    public SyncReport run() throws IOException {
        Instant started = Instant.now(options.clock());
        Retrier retrier = newRetrier();
        if (options.mode() == SyncMode.TWO_WAY) {
            return runTwoWay(started, retrier);
        }
        if (CopyMemory.needed(source, destination, options)) {
            return runRemembering(started, retrier);
        }
        SyncPlan plan = new Planner(source, destination, options, retrier).plan();
        options.listener().planned(plan);
        return new Executor(source, destination, options, retrier).execute(plan, started);
    }

    /** A one-way run where times cannot tell whether a file changed: see {@link CopyMemory}. */
    private SyncReport runRemembering(Instant started, Retrier retrier) throws IOException {
        // No lock, unlike two-way: runs that overlap (a job's syncNow during its regular run) can
        // at worst lose each other's notes, and a note lost only costs one more copy later.
        CopyMemory memory = CopyMemory.load(stateFile(".copies"));
        SyncPlan plan = new Planner(source, destination, options, retrier, memory).plan();
        memory.planned();
        options.listener().planned(plan);
        SyncReport report = new Executor(source, destination, options, retrier, memory.observer(), false)
                .execute(plan, started);
        if (!plan.actions().isEmpty()) {
            memory.save();
        }
        return report;
    }

    private SyncReport runTwoWay(Instant started, Retrier retrier) throws IOException {
        try (PairLock lock = PairLock.acquire(stateFile(".lock"))) {
            StateStore store = StateStore.load(stateFile(".state"));
            TwoWayPlanner.Result r = new TwoWayPlanner(source, destination, options, retrier, store.records()).plan();
            options.listener().planned(r.plan());
            if (!r.remember().isEmpty() || !r.forget().isEmpty()) {
                store.update(r.remember(), r.forget());
                store.save();
            }
            // The entry a conflict copy got when moved aside, to remember with its copy.
            Map<SyncPath, Entry> moved = new ConcurrentHashMap<>();
            Executor.Observer advance = (action, result) -> {
                if (action instanceof SyncAction.CopyFile c && result.isPresent()) {
                    Entry from = moved.getOrDefault(c.path(), c.source());
                    Entry to = result.get();
                    store.put(c.side() == SyncAction.Side.DESTINATION ? StateRecord.of(from, to)
                            : StateRecord.of(to, from));
                } else if (action instanceof SyncAction.MoveFile m && result.isPresent()) {
                    Entry other = r.renames().get(m.to());
                    if (other != null) {
                        // A rename carried out as a move: the new path is synced, the old one gone.
                        store.put(m.side() == SyncAction.Side.DESTINATION ? StateRecord.of(other, result.get())
                                : StateRecord.of(result.get(), other));
                        store.remove(m.file().path());
                    } else {
                        moved.put(m.to(), result.get());
                    }
                } else if (action instanceof SyncAction.MakeDirectory m) {
                    Entry dir = Entry.directory(m.path()).build();
                    store.put(StateRecord.of(dir, dir));
                } else if (action instanceof SyncAction.DeleteFile || action instanceof SyncAction.DeleteDirectory) {
                    store.remove(action.path());
                }
            };
            SyncReport report = new Executor(source, destination, options, retrier, advance, true)
                    .execute(r.plan(), started);
            if (!r.plan().actions().isEmpty()) {
                store.save();
            }
            return report;
        }
    }

    /**
     * Where this pair's state lives: one file per ordered pair of locations, named by a hash of
     * them, under the state directory.
     */
    Path stateFile(String suffix) {
        Path dir = options.stateDirectory().orElseGet(Sync::defaultStateDirectory);
        return dir.resolve("pairs").resolve(hashName(source.description() + "\u0000" + destination.description()) + suffix);
    }

    /** A file name for a key (a pair of locations, a target): 20 hex digits of its SHA-256. */
    static String hashName(String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code $XDG_STATE_HOME/ferry}, else {@code ~/.local/state/ferry}. */
    static Path defaultStateDirectory() {
        String xdg = System.getenv("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "ferry");
        }
        return Path.of(System.getProperty("user.home"), ".local", "state", "ferry");
    }

    private Retrier newRetrier() {
        return new Retrier(options.retry(), options.listener());
    }

    @Override
    public String toString() {
        return "Sync[" + options.mode() + " " + source.description() + " -> " + destination.description() + "]";
    }
}
