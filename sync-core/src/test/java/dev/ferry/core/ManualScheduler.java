package dev.ferry.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/** A {@link JobScheduler} whose clock moves only when the test says so; tasks run on the test's thread. */
final class ManualScheduler implements JobScheduler {

    private record Task(Instant due, long seq, Runnable run, boolean[] cancelled) {}

    private final PriorityQueue<Task> queue = new PriorityQueue<>((x, y) -> x.due.equals(y.due)
            ? Long.compare(x.seq, y.seq) : x.due.compareTo(y.due));
    private Instant now = Instant.parse("2024-01-01T00:00:00Z");
    private long seq;

    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public synchronized Scheduled schedule(Runnable task, Duration delay) {
        boolean[] cancelled = {false};
        queue.add(new Task(now.plus(delay), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Moves the clock forward, running every task that falls due on the way, in order. */
    void advance(Duration d) {
        Instant until = now.plus(d);
        while (true) {
            Task t;
            synchronized (this) {
                t = queue.peek();
                if (t == null || t.due.isAfter(until)) {
                    break;
                }
                queue.poll();
                now = t.due;
            }
            if (!t.cancelled[0]) {
                t.run.run();
            }
        }
        now = until;
    }

    Instant now() {
        return now;
    }

    @Override
    public void close() {}
}
