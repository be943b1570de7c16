package dev.ferry.serve;

import dev.ferry.core.JobScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One job's view of the server's shared scheduler, which can be paused: work that comes due while
 * paused is held, not run, and runs once on resume. A {@link dev.ferry.core.SyncJob} given this
 * scheduler thus starts no run while paused (scheduled, triggered or watched), and a run in
 * progress finishes. Closing it does not close the shared scheduler.
 */
final class PausableScheduler implements JobScheduler {

    private final JobScheduler shared;
    private final List<Runnable> held = new ArrayList<>();
    private boolean paused;

    PausableScheduler(JobScheduler shared) {
        this.shared = shared;
    }

    @Override
    public Clock clock() {
        return shared.clock();
    }

    @Override
    public Scheduled schedule(Runnable task, Duration delay) {
        Runnable gated = new Runnable() {
            @Override
            public void run() {
                synchronized (PausableScheduler.this) {
                    if (paused) {
                        if (!held.contains(this)) {
                            held.add(this);
                        }
                        return;
                    }
                }
                task.run();
            }
        };
        Scheduled s = shared.schedule(gated, delay);
        return () -> {
            s.cancel();
            synchronized (PausableScheduler.this) {
                held.remove(gated);
            }
        };
    }

    synchronized boolean paused() {
        return paused;
    }

    synchronized void pause() {
        paused = true;
    }

    /** Resumes, running at once what came due meanwhile. */
    void resume() {
        List<Runnable> due;
        synchronized (this) {
            paused = false;
            due = new ArrayList<>(held);
            held.clear();
        }
        for (Runnable r : due) {
            shared.schedule(r, Duration.ZERO);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            held.clear();
        }
    }
}
