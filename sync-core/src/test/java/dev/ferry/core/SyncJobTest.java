package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.ListingSink;
import dev.ferry.api.SyncPath;
import dev.ferry.api.TransientSyncException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The scheduler with a hand-moved clock: intervals, coalescing, non-overlap, backoff, shutdown. */
class SyncJobTest {

    static final Instant T = Instant.parse("2023-06-01T00:00:00Z");

    final ManualScheduler clock = new ManualScheduler();
    final MemoryTarget src = new MemoryTarget("src").file("a.txt", "a", T);

    /** A destination that counts its runs (each run lists its root once) and can be made to fail. */
    static final class CountingTarget extends MemoryTarget {
        final AtomicInteger runs = new AtomicInteger();
        volatile boolean down;
        Runnable duringRun = () -> { };

        CountingTarget(String name) {
            super(name);
        }

        @Override
        public void list(SyncPath directory, ListingSink sink) throws IOException {
            if (directory.isRoot()) {
                runs.incrementAndGet();
                duringRun.run();
                if (down) {
                    throw new TransientSyncException("connection refused (server down)");
                }
            }
            super.list(directory, sink);
        }
    }

    SyncJob.Builder job(CountingTarget... dsts) {
        SyncJob.Builder b = SyncJob.builder(src).scheduler(clock).backoff(Duration.ofSeconds(10), Duration.ofMinutes(2))
                .options(SyncOptions.builder().retry(RetryPolicy.NONE).clock(clock.clock()).build());
        for (CountingTarget d : dsts) {
            b.destination(d.description(), d);
        }
        return b;
    }

    @Test
    void runsAtOnceThenOnTheIntervalAfterTheInitialDelay() throws IOException {
        CountingTarget dst = new CountingTarget("dst");
        try (SyncJob j = job(dst).every(Duration.ofMinutes(5)).initialDelay(Duration.ofSeconds(30)).build()) {
            j.start();
            clock.advance(Duration.ofSeconds(29));
            assertThat(dst.runs.get()).isZero();
            clock.advance(Duration.ofSeconds(1));
            assertThat(dst.runs.get()).isEqualTo(1);
            assertThat(dst.content("a.txt")).isEqualTo("a");
            assertThat(j.status().get(0).nextRun()).hasValue(clock.now().plus(Duration.ofMinutes(5)));
            clock.advance(Duration.ofMinutes(15));
            assertThat(dst.runs.get()).isEqualTo(4);
            assertThat(j.status().get(0).lastReport()).hasValueSatisfying(r -> assertThat(r.succeeded()).isTrue());
        }
    }

    @Test
    void triggersDuringARunCoalesceIntoExactlyOneMoreRun() throws IOException {
        CountingTarget dst = new CountingTarget("dst");
        try (SyncJob j = job(dst).build()) {
            dst.duringRun = () -> {
                if (dst.runs.get() == 1) {
                    j.trigger();
                    j.trigger();
                    j.trigger();
                    assertThat(j.status().get(0).running()).isTrue();
                }
            };
            j.start();
            j.trigger();
            clock.advance(Duration.ofSeconds(1));
            assertThat(dst.runs.get()).isEqualTo(2);
            clock.advance(Duration.ofHours(1));
            assertThat(dst.runs.get()).as("no schedule: only triggers run it").isEqualTo(2);
        }
    }

    @Test
    void aFailingDestinationBacksOffDoublingToTheCapAndTheFirstSuccessResetsIt() throws IOException {
        CountingTarget dst = new CountingTarget("dst");
        dst.down = true;
        List<Instant> runTimes = new ArrayList<>();
        dst.duringRun = () -> runTimes.add(clock.now());
        try (SyncJob j = job(dst).every(Duration.ofMinutes(5)).build()) {
            j.start();
            clock.advance(Duration.ofMinutes(8));
            // At 0, then after 10 s, 20 s, 40 s, 80 s, 120 s (the cap), 120 s...
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < runTimes.size(); i++) {
                gaps.add(Duration.between(runTimes.get(i - 1), runTimes.get(i)).toSeconds());
            }
            assertThat(gaps).startsWith(10L, 20L, 40L, 80L, 120L, 120L);
            SyncJob.Status s = j.status().get(0);
            assertThat(s.consecutiveFailures()).isEqualTo(runTimes.size());
            assertThat(s.lastError()).hasValueSatisfying(e -> assertThat(e).contains("server down"));

            dst.down = false;
            clock.advance(Duration.ofMinutes(2));
            s = j.status().get(0);
            assertThat(s.consecutiveFailures()).isZero();
            assertThat(dst.content("a.txt")).isEqualTo("a");
            assertThat(s.nextRun()).hasValue(s.lastRun().orElseThrow().plus(Duration.ofMinutes(5)));
        }
    }

    @Test
    void aDeadDestinationHoldsBackNoOther() throws IOException {
        CountingTarget dead = new CountingTarget("dead");
        CountingTarget alive = new CountingTarget("alive");
        dead.down = true;
        try (SyncJob j = job(dead, alive).every(Duration.ofMinutes(1)).build()) {
            j.start();
            clock.advance(Duration.ofMinutes(10));
            assertThat(alive.runs.get()).isEqualTo(11);
            assertThat(alive.content("a.txt")).isEqualTo("a");
            assertThat(j.status()).extracting(SyncJob.Status::consecutiveFailures).containsExactly(dead.runs.get(), 0);
        }
    }

    @Test
    void syncNowPushesOneFileWithoutScanningEitherTree() throws IOException {
        CountingTarget ftp = new CountingTarget("ftp");
        CountingTarget usb = new CountingTarget("usb");
        src.file("2024/IMG_0042.jpg", "photo", T);
        src.fail("list", "", 100, (op, p) -> new IOException("no scan expected"));
        try (SyncJob j = job(ftp, usb).build()) {
            var reports = j.syncNow(SyncPath.of("2024/IMG_0042.jpg"));
            assertThat(reports).hasSize(2).allSatisfy((name, r) -> assertThat(r.filesCopied()).isEqualTo(1));
            assertThat(ftp.content("2024/IMG_0042.jpg")).isEqualTo("photo");
            assertThat(usb.content("2024/IMG_0042.jpg")).isEqualTo("photo");
            assertThat(ftp.runs.get() + usb.runs.get()).isZero();
            assertThatThrownBy(() -> j.syncNow(SyncPath.of("missing.jpg"))).hasMessageContaining("no file missing.jpg");
        }
    }

    @Test
    void afterCloseNothingRuns() throws IOException {
        CountingTarget dst = new CountingTarget("dst");
        SyncJob j = job(dst).every(Duration.ofMinutes(1)).build();
        j.start();
        clock.advance(Duration.ZERO);
        assertThat(dst.runs.get()).isEqualTo(1);
        j.close();
        j.trigger();
        clock.advance(Duration.ofHours(1));
        assertThat(dst.runs.get()).isEqualTo(1);
        assertThat(j.status().get(0).nextRun()).isEmpty();
    }
}
