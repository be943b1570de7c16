package dev.ferry.core;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A sync that keeps running: from one source to one or more destinations, on an interval, on
 * demand ({@link #trigger()}), on local file changes ({@link Builder#watch}), and one file at a
 * time ({@link #syncNow}) for "a new photo is here". An outage is an ordinary day: a failing
 * destination backs off exponentially (to a cap) and keeps trying, and the first success resets
 * it.
 *
 * <pre>{@code
 * SyncJob job = SyncJob.builder(photos)
 *         .destination("ftp", ftp).destination("usb", usb)
 *         .options(SyncOptions.builder().mode(SyncMode.COPY).build())
 *         .every(Duration.ofMinutes(5))
 *         .build();
 * job.start();
 * job.syncNow(SyncPath.of("2024/IMG_0042.jpg"));   // the moment it is written
 * }</pre>
 *
 * <p>Each destination runs on its own: its own schedule, backoff and {@link Status}, so one dead
 * remote holds back no other. Runs for one destination never overlap; triggers that arrive
 * during a run coalesce into exactly one run after it.
 */
public final class SyncJob implements AutoCloseable {

    /**
     * Where one destination stands.
     *
     * @param destination its name in the job
     * @param running whether a run is in progress
     * @param lastRun when the last run ended
     * @param lastReport that run's report (empty if it could not start)
     * @param lastError why the last run failed, if it did
     * @param nextRun when the next run is scheduled, if it is
     * @param consecutiveFailures failed runs since the last good one
     */
    public record Status(String destination, boolean running, Optional<Instant> lastRun, Optional<SyncReport> lastReport,
            Optional<String> lastError, Optional<Instant> nextRun, int consecutiveFailures) {}

    /** Told about every finished run; called on the job's threads. */
    public interface Listener {
        /** A run of {@code status.destination()} starts (its status says running). */
        default void runStarted(Status status) {}

        /** A run of {@code destination} ended; {@code failed} says whether it counts as a failure. */
        default void runEnded(Status status, boolean failed) {}
    }

    private final SyncTarget source;
    private final SyncOptions options;
    private final Duration interval;
    private final Duration initialDelay;
    private final Duration jitter;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final Path watchDirectory;
    private final Duration debounce;
    private final JobScheduler scheduler;
    private final boolean ownScheduler;
    private final Listener listener;
    private final java.util.function.Function<String, SyncListener> progress;
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    private final Object watchLock = new Object();
    private JobScheduler.Scheduled pendingWatchTrigger;
    private DirectoryWatcher watcher;
    private volatile boolean closed;

    private SyncJob(Builder b) {
        this.source = Objects.requireNonNull(b.source, "source");
        this.options = b.options;
        this.interval = b.interval;
        this.initialDelay = b.initialDelay;
        this.jitter = b.jitter;
        this.backoffInitial = b.backoffInitial;
        this.backoffMax = b.backoffMax;
        this.watchDirectory = b.watchDirectory;
        this.debounce = b.debounce;
        this.ownScheduler = b.scheduler == null;
        this.scheduler = ownScheduler ? JobScheduler.system(Math.max(2, b.destinations.size() + 1)) : b.scheduler;
        this.listener = b.listener;
        this.progress = b.progress;
        if (b.destinations.isEmpty()) {
            throw new IllegalArgumentException("a job needs at least one destination");
        }
        b.destinations.forEach((name, target) -> lanes.put(name, new Lane(name, target)));
    }

    /** A job syncing from {@code source}. */
    public static Builder builder(SyncTarget source) {
        return new Builder(source);
    }

    /**
     * Starts the schedule (first run of each destination after the initial delay) and, if asked
     * for, the watch on local changes.
     */
    public void start() throws IOException {
        if (interval != null || initialDelay != null) {
            for (Lane lane : lanes.values()) {
                lane.scheduleIn(withJitter(initialDelay == null ? Duration.ZERO : initialDelay));
            }
        }
        if (watchDirectory != null) {
            watcher = DirectoryWatcher.start(watchDirectory, this::changed);
        }
    }

    /**
     * Asks for a run of every destination now. A destination that is running gets exactly one
     * more run after it, however many triggers arrive meanwhile.
     */
    public void trigger() {
        lanes.values().forEach(Lane::request);
    }

    /**
     * Pushes one new or changed file to every destination at once, without scanning the trees;
     * the regular runs later reconcile anything this missed. Failures are in the reports (or,
     * for a destination that could not be reached, in its status); nothing is thrown for them.
     *
     * @return a one-file report per destination
     * @throws dev.ferry.api.NotFoundException if the source has no file at {@code path}
     */
    public Map<String, SyncReport> syncNow(SyncPath path) throws IOException {
        Entry file = source.stat(path).filter(Entry::isFile)
                .orElseThrow(() -> new dev.ferry.api.NotFoundException("no file " + path + " on " + source.description()));
        Map<String, SyncReport> reports = new LinkedHashMap<>();
        for (Lane lane : lanes.values()) {
            SyncPlan plan = new SyncPlan(SyncMode.COPY, source.description(), lane.target.description(),
                    List.of(new SyncAction.CopyFile(file, Optional.empty(), SyncAction.Reason.CHANGED)), 0, List.of(),
                    Optional.empty());
            SyncOptions copy = lane.options.mode() == SyncMode.COPY ? lane.options
                    : lane.options.toBuilder().mode(SyncMode.COPY).build();
            reports.put(lane.name, Sync.between(source, lane.target, copy).execute(plan));
        }
        return reports;
    }

    /** Where every destination stands, in the order they were added. */
    public List<Status> status() {
        List<Status> out = new ArrayList<>();
        lanes.values().forEach(l -> out.add(l.status()));
        return out;
    }

    /**
     * Stops: nothing new starts; a run in progress finishes (its transfers are atomic, so even
     * an abandoned one leaves no partial file visible). Waits for it when the job made its own
     * scheduler.
     */
    @Override
    public void close() {
        closed = true;
        if (watcher != null) {
            watcher.close();
        }
        synchronized (watchLock) {
            if (pendingWatchTrigger != null) {
                pendingWatchTrigger.cancel();
            }
        }
        lanes.values().forEach(Lane::close);
        if (ownScheduler) {
            scheduler.close();
        }
    }

    /** A local change was seen: trigger once things have been quiet for the debounce time. */
    private void changed() {
        synchronized (watchLock) {
            if (closed) {
                return;
            }
            if (pendingWatchTrigger != null) {
                pendingWatchTrigger.cancel();
            }
            pendingWatchTrigger = scheduler.schedule(this::trigger, debounce);
        }
    }

    private Duration withJitter(Duration d) {
        if (jitter.isZero()) {
            return d;
        }
        return d.plusMillis(ThreadLocalRandom.current().nextLong(Math.max(1, jitter.toMillis())));
    }

    /** Backoff after {@code failures} failed runs in a row: doubling from the initial wait, capped. */
    Duration backoff(int failures) {
        double ms = backoffInitial.toMillis() * Math.pow(2, Math.max(0, failures - 1));
        return Duration.ofMillis((long) Math.min(ms, backoffMax.toMillis()));
    }

    /** One destination: its schedule and its state, changed under its own lock. */
    private final class Lane {
        private final String name;
        private final SyncTarget target;
        private final SyncOptions options;
        private boolean running;
        private boolean rerun;
        private boolean laneClosed;
        private JobScheduler.Scheduled next;
        private Instant nextAt;
        private int failures;
        private Instant lastRun;
        private SyncReport lastReport;
        private String lastError;

        Lane(String name, SyncTarget target) {
            this.name = name;
            this.target = target;
            SyncListener extra = progress == null ? null : progress.apply(name);
            this.options = extra == null ? SyncJob.this.options
                    : SyncJob.this.options.toBuilder().listener(both(SyncJob.this.options.listener(), extra)).build();
        }

        synchronized void scheduleIn(Duration delay) {
            if (laneClosed) {
                return;
            }
            if (next != null) {
                next.cancel();
            }
            nextAt = scheduler.clock().instant().plus(delay);
            next = scheduler.schedule(this::fire, delay);
        }

        synchronized void request() {
            if (laneClosed) {
                return;
            }
            if (running) {
                rerun = true;
            } else {
                scheduleIn(Duration.ZERO);
            }
        }

        private void fire() {
            synchronized (this) {
                if (laneClosed) {
                    return;
                }
                if (running) {
                    rerun = true;
                    return;
                }
                running = true;
                next = null;
                nextAt = null;
            }
            listener.runStarted(status());
            SyncReport report = null;
            String error = null;
            try {
                report = Sync.between(source, target, options).run();
            } catch (IOException | RuntimeException e) {
                error = Errors.describe(e);
            }
            boolean failed = report == null || report.failures().stream().anyMatch(SyncFailure::retryable);
            Status status;
            synchronized (this) {
                running = false;
                lastRun = scheduler.clock().instant();
                lastReport = report;
                lastError = error != null ? error
                        : failed ? report.failures().get(0).toString() : null;
                failures = failed ? failures + 1 : 0;
                Duration delay = null;
                if (rerun) {
                    rerun = false;
                    delay = Duration.ZERO;
                } else if (failed) {
                    delay = withJitter(backoff(failures));
                } else if (interval != null) {
                    delay = withJitter(interval);
                }
                if (delay != null) {
                    scheduleIn(delay);
                }
                status = status();
            }
            listener.runEnded(status, failed);
        }

        synchronized Status status() {
            return new Status(name, running, Optional.ofNullable(lastRun), Optional.ofNullable(lastReport),
                    Optional.ofNullable(lastError), Optional.ofNullable(nextAt), failures);
        }

        synchronized void close() {
            laneClosed = true;
            if (next != null) {
                next.cancel();
            }
            nextAt = null;
        }
    }

    /** Both listeners, the first first. */
    private static SyncListener both(SyncListener a, SyncListener b) {
        if (a == SyncListener.NONE) {
            return b;
        }
        return new SyncListener() {
            @Override
            public void scanProgress(long entriesSeen) {
                a.scanProgress(entriesSeen);
                b.scanProgress(entriesSeen);
            }

            @Override
            public void notice(dev.ferry.api.ListingNotice notice) {
                a.notice(notice);
                b.notice(notice);
            }

            @Override
            public void planned(SyncPlan plan) {
                a.planned(plan);
                b.planned(plan);
            }

            @Override
            public void started(SyncAction action) {
                a.started(action);
                b.started(action);
            }

            @Override
            public void transferred(SyncAction action, long bytes) {
                a.transferred(action, bytes);
                b.transferred(action, bytes);
            }

            @Override
            public void finished(SyncAction action) {
                a.finished(action);
                b.finished(action);
            }

            @Override
            public void failed(SyncAction action, SyncFailure failure) {
                a.failed(action, failure);
                b.failed(action, failure);
            }

            @Override
            public void retrying(String operation, int attempt, Duration delay, Exception cause) {
                a.retrying(operation, attempt, delay, cause);
                b.retrying(operation, attempt, delay, cause);
            }
        };
    }

    /** Builds a {@link SyncJob}. */
    public static final class Builder {
        private final SyncTarget source;
        private final Map<String, SyncTarget> destinations = new LinkedHashMap<>();
        private SyncOptions options = SyncOptions.defaults();
        private Duration interval;
        private Duration initialDelay;
        private Duration jitter = Duration.ZERO;
        private Duration backoffInitial = Duration.ofSeconds(10);
        private Duration backoffMax = Duration.ofMinutes(10);
        private Path watchDirectory;
        private Duration debounce = Duration.ofSeconds(2);
        private JobScheduler scheduler;
        private Listener listener = new Listener() {};
        private java.util.function.Function<String, SyncListener> progress;

        private Builder(SyncTarget source) {
            this.source = source;
        }

        /** Adds a destination under a name of its own (for status and reports). */
        public Builder destination(String name, SyncTarget target) {
            if (destinations.putIfAbsent(name, Objects.requireNonNull(target)) != null) {
                throw new IllegalArgumentException("two destinations named '" + name + "'");
            }
            return this;
        }

        /** How each run behaves (mode, filters, limits...). */
        public Builder options(SyncOptions options) {
            this.options = options;
            return this;
        }

        /** Runs every {@code interval}, the first after {@link #initialDelay} (default: at once). */
        public Builder every(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be positive");
            }
            this.interval = interval;
            return this;
        }

        /** Delay before the first scheduled run. */
        public Builder initialDelay(Duration delay) {
            this.initialDelay = delay;
            return this;
        }

        /** Up to this much random delay added to every scheduled run, so many jobs don't run in step. */
        public Builder jitter(Duration jitter) {
            this.jitter = jitter;
            return this;
        }

        /** Backoff of a failing destination: first wait, doubling up to {@code max}. */
        public Builder backoff(Duration initial, Duration max) {
            this.backoffInitial = initial;
            this.backoffMax = max;
            return this;
        }

        /**
         * Also runs when files change below {@code directory} (the local source), once changes have
         * been quiet for {@code debounce}. A watch that overflows falls back to a full run, which
         * is what every run is anyway.
         */
        public Builder watch(Path directory, Duration debounce) {
            this.watchDirectory = directory;
            this.debounce = debounce;
            return this;
        }

        /**
         * Progress of each destination's runs on a listener of its own ({@code perDestination}
         * gets the destination's name), told besides the options' listener.
         */
        public Builder progress(java.util.function.Function<String, SyncListener> perDestination) {
            this.progress = perDestination;
            return this;
        }

        /** Time and threads; default: the system clock and a small pool of its own. */
        public Builder scheduler(JobScheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** Told about every finished run. */
        public Builder listener(Listener listener) {
            this.listener = listener;
            return this;
        }

        /** The job, not yet started. */
        public SyncJob build() {
            return new SyncJob(this);
        }
    }
}
