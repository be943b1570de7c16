package dev.ferry.serve;

import dev.ferry.api.SyncPath;
import dev.ferry.core.JobScheduler;
import dev.ferry.core.SyncAction;
import dev.ferry.core.SyncFailure;
import dev.ferry.core.SyncJob;
import dev.ferry.core.SyncListener;
import dev.ferry.core.SyncPlan;
import dev.ferry.core.SyncReport;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One job as the server runs it: the {@link SyncJob}, its pause switch, each destination's live
 * progress, its last reports, and the events and metrics its runs produce.
 */
final class ServedJob implements AutoCloseable {

    /** The states a destination is shown in. */
    static final String IDLE = "idle";
    static final String RUNNING = "running";
    static final String BACKING_OFF = "backing-off";
    static final String PAUSED = "paused";

    private static final int REPORTS_KEPT = 20;
    private static final long PROGRESS_EVERY_MS = 200;

    /** A run or push that ended, for {@code /api/jobs/{name}/reports}. */
    record Finished(String destination, String kind, Instant ended, SyncReport report, String error) {}

    private final String name;
    private final JobSummary summary;
    private final PausableScheduler scheduler;
    private final EventBus events;
    private final Metrics metrics;
    private final SyncJob job;
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();
    private final Deque<Finished> finished = new ArrayDeque<>();

    ServedJob(String name, SyncJob.Builder builder, JobSummary summary, JobScheduler shared, EventBus events,
            Metrics metrics) {
        this.name = name;
        this.summary = summary;
        this.scheduler = new PausableScheduler(shared);
        this.events = events;
        this.metrics = metrics;
        this.job = builder.scheduler(scheduler)
                .progress(dest -> progress.computeIfAbsent(dest, Progress::new))
                .listener(new SyncJob.Listener() {
                    @Override
                    public void runStarted(SyncJob.Status status) {
                        started(status);
                    }

                    @Override
                    public void runEnded(SyncJob.Status status, boolean failed) {
                        ended(status, failed);
                    }
                })
                .build();
        for (SyncJob.Status s : job.status()) {
            metrics.register(name, s.destination());
            progress.computeIfAbsent(s.destination(), Progress::new);
        }
    }

    String name() {
        return name;
    }

    void start() throws IOException {
        job.start();
        for (LocalTime t : summary.at()) {
            scheduleAt(t);
        }
    }

    private void scheduleAt(LocalTime time) {
        ZoneId zone = ZoneId.systemDefault();
        Instant now = scheduler.clock().instant();
        LocalDateTime next = LocalDateTime.ofInstant(now, zone).toLocalDate().atTime(time);
        if (!next.atZone(zone).toInstant().isAfter(now)) {
            next = next.plusDays(1);
        }
        Duration delay = Duration.between(now, next.atZone(zone).toInstant());
        scheduler.schedule(() -> {
            job.trigger();
            scheduleAt(time);
        }, delay);
    }

    /** Runs every destination now (a running one once more after its run). */
    void run() {
        if (scheduler.paused()) {
            throw new IllegalStateException("job '" + name + "' is paused; resume it first");
        }
        // Told before the trigger: the run it starts publishes run-started on its own thread.
        events.publish("run-requested", data(null));
        job.trigger();
    }

    /** Pushes one file to every destination now; the reports by destination. */
    Map<String, SyncReport> push(SyncPath path) throws IOException {
        if (scheduler.paused()) {
            throw new IllegalStateException("job '" + name + "' is paused; resume it first");
        }
        Map<String, SyncReport> reports = job.syncNow(path);
        Instant now = Instant.now();
        reports.forEach((dest, report) -> {
            metrics.push(name, dest, report);
            remember(new Finished(dest, "push", now, report, null));
            Map<String, Object> d = data(dest);
            d.put("path", path.toString());
            d.put("report", ApiJson.report(report));
            events.publish("push", d);
        });
        return reports;
    }

    void pause() {
        scheduler.pause();
        events.publish("paused", data(null));
    }

    void resume() {
        scheduler.resume();
        events.publish("resumed", data(null));
    }

    boolean paused() {
        return scheduler.paused();
    }

    /** The state of one destination, for the API and the metrics. */
    String state(SyncJob.Status s) {
        if (s.running()) {
            return RUNNING;
        }
        if (scheduler.paused()) {
            return PAUSED;
        }
        return s.consecutiveFailures() > 0 ? BACKING_OFF : IDLE;
    }

    int stateCode(String destination) {
        for (SyncJob.Status s : job.status()) {
            if (s.destination().equals(destination)) {
                return switch (state(s)) {
                    case RUNNING -> 1;
                    case BACKING_OFF -> 2;
                    case PAUSED -> 3;
                    default -> 0;
                };
            }
        }
        return 0;
    }

    List<SyncJob.Status> status() {
        return job.status();
    }

    JobSummary summary() {
        return summary;
    }

    Progress progress(String destination) {
        return progress.get(destination);
    }

    synchronized List<Finished> finished() {
        return new ArrayList<>(finished);
    }

    private synchronized void remember(Finished f) {
        finished.addFirst(f);
        while (finished.size() > REPORTS_KEPT) {
            finished.removeLast();
        }
    }

    private void started(SyncJob.Status status) {
        Progress p = progress.computeIfAbsent(status.destination(), Progress::new);
        p.reset();
        events.publish("run-started", data(status.destination()));
    }

    private void ended(SyncJob.Status status, boolean failed) {
        // The job sets lastReport on every run: null when the run could not start.
        SyncReport report = status.lastReport().orElse(null);
        Instant ended = status.lastRun().orElse(Instant.now());
        metrics.run(name, status.destination(), report, failed, ended.toEpochMilli() / 1000.0);
        remember(new Finished(status.destination(), "run", ended, report, status.lastError().orElse(null)));
        Progress p = progress.get(status.destination());
        if (p != null) {
            p.done();
        }
        Map<String, Object> d = data(status.destination());
        d.put("failed", failed);
        d.put("state", state(status));
        d.put("report", report == null ? null : ApiJson.report(report));
        d.put("error", status.lastError().orElse(null));
        d.put("nextRun", status.nextRun().orElse(null));
        events.publish("run-ended", d);
    }

    private Map<String, Object> data(String destination) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("job", name);
        if (destination != null) {
            d.put("destination", destination);
        }
        return d;
    }

    @Override
    public void close() {
        job.close();
        scheduler.close();
    }

    /** A destination's current run, as it goes; fields are read without locking (a snapshot may be a moment old). */
    final class Progress implements SyncListener {
        private final String destination;
        volatile String phase = "idle";
        volatile long filesTotal;
        volatile long filesDone;
        volatile long bytesTotal;
        volatile long bytesDone;
        volatile long failures;
        volatile String current;
        private volatile long lastEventMs;

        Progress(String destination) {
            this.destination = destination;
        }

        void reset() {
            phase = "scanning";
            filesTotal = 0;
            filesDone = 0;
            bytesTotal = 0;
            bytesDone = 0;
            failures = 0;
            current = null;
        }

        void done() {
            phase = "idle";
            current = null;
        }

        @Override
        public void planned(SyncPlan plan) {
            phase = "transferring";
            filesTotal = plan.filesToCopy();
            bytesTotal = plan.bytesToCopy();
            emit(true);
        }

        @Override
        public void started(SyncAction action) {
            current = action.path().toString();
        }

        @Override
        public synchronized void transferred(SyncAction action, long bytes) {
            bytesDone += bytes;
            emit(false);
        }

        @Override
        public synchronized void finished(SyncAction action) {
            if (action.kind() == SyncAction.Kind.COPY) {
                filesDone++;
            }
            emit(false);
        }

        @Override
        public synchronized void failed(SyncAction action, SyncFailure failure) {
            failures++;
            Map<String, Object> d = data(destination);
            d.put("path", failure.path());
            d.put("message", failure.message());
            events.publish("failure", d);
        }

        private void emit(boolean always) {
            long now = System.currentTimeMillis();
            if (!always && now - lastEventMs < PROGRESS_EVERY_MS) {
                return;
            }
            lastEventMs = now;
            Map<String, Object> d = data(destination);
            d.putAll(ApiJson.progress(this));
            events.publish("progress", d);
        }
    }
}
