package dev.ferry.core;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a {@link SyncJob} gets its time and runs its work. The default uses the system clock
 * and a small thread pool; tests pass one whose clock they move by hand, so schedules, backoff
 * and coalescing are checked in microseconds, deterministically.
 */
public interface JobScheduler extends AutoCloseable {

    /** A scheduled piece of work that can be called off. */
    interface Scheduled {
        /** Calls it off if it has not started. */
        void cancel();
    }

    /** The time source. */
    Clock clock();

    /** Runs {@code task} after {@code delay} (zero: as soon as possible). */
    Scheduled schedule(Runnable task, Duration delay);

    /** Stops running scheduled work; running work finishes. */
    @Override
    void close();

    /** The system clock and {@code threads} daemon threads. */
    static JobScheduler system(int threads) {
        AtomicInteger n = new AtomicInteger();
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, "ferry-job-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Clock clock = Clock.systemUTC();
        return new JobScheduler() {
            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public Scheduled schedule(Runnable task, Duration delay) {
                ScheduledFuture<?> f = pool.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }

            @Override
            public void close() {
                pool.shutdown();
                try {
                    pool.awaitTermination(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
