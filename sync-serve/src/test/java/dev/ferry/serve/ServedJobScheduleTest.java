package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.JobScheduler;
import dev.ferry.core.SyncJob;
import dev.ferry.core.SyncTargets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Times of day and pausing, on a clock moved by hand. */
class ServedJobScheduleTest {

    @TempDir
    Path dir;

    /** Runs due work, in time order, when the test moves the clock. */
    static final class HandClock implements JobScheduler {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        final List<Object[]> queue = new ArrayList<>();

        @Override
        public Clock clock() {
            return new Clock() {
                @Override
                public ZoneId getZone() {
                    return ZoneId.of("UTC");
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
        }

        @Override
        public synchronized Scheduled schedule(Runnable task, Duration delay) {
            Object[] e = {now.plus(delay), task};
            queue.add(e);
            return () -> {
                synchronized (HandClock.this) {
                    queue.remove(e);
                }
            };
        }

        void advance(Duration d) {
            Instant end = now.plus(d);
            while (true) {
                Object[] next;
                synchronized (this) {
                    next = queue.stream().filter(e -> !((Instant) e[0]).isAfter(end))
                            .min((a, b) -> ((Instant) a[0]).compareTo((Instant) b[0])).orElse(null);
                    if (next == null) {
                        break;
                    }
                    queue.remove(next);
                    now = (Instant) next[0];
                }
                ((Runnable) next[1]).run();
            }
            now = end;
        }

        @Override
        public void close() {}
    }

    @Test
    void runsAtItsTimeOfDayAndHoldsARunThatCameDueWhilePaused() throws Exception {
        HandClock clock = new HandClock();
        SyncTargets targets = SyncTargets.load();
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("a.txt"), "a");
        Path dst = dir.resolve("dst");
        LocalTime at = java.time.LocalDateTime.ofInstant(clock.now.plus(Duration.ofMinutes(30)), ZoneId.systemDefault())
                .toLocalTime();
        EventBus events = new EventBus();
        ServedJob job = new ServedJob("nightly", SyncJob.builder(targets.open(src.toString()))
                .destination("usb", targets.open(dst.toString())),
                new JobSummary(src.toString(), Map.of(), "copy", Optional.empty(), false, List.of(at)),
                clock, events, new Metrics());
        job.start();
        clock.advance(Duration.ofMinutes(29));
        assertThat(dst.resolve("a.txt")).doesNotExist();
        clock.advance(Duration.ofMinutes(2));
        assertThat(dst.resolve("a.txt")).hasContent("a");

        // The next day's run comes due while paused: held, then run on resume.
        Files.writeString(src.resolve("b.txt"), "b");
        job.pause();
        clock.advance(Duration.ofDays(1));
        assertThat(dst.resolve("b.txt")).doesNotExist();
        assertThat(job.state(job.status().get(0))).isEqualTo(ServedJob.PAUSED);
        job.resume();
        clock.advance(Duration.ZERO);
        assertThat(dst.resolve("b.txt")).hasContent("b");
        assertThat(events.recent().stream().map(EventBus.Event::type))
                .containsSubsequence("run-started", "run-ended", "paused", "resumed", "run-started", "run-ended");
        job.close();
    }
}
