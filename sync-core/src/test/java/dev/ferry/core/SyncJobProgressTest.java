package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Each destination's progress on a listener of its own, and the run-started callback. */
class SyncJobProgressTest {

    static final Instant T = Instant.parse("2023-06-01T00:00:00Z");

    @Test
    void eachDestinationsProgressGoesToItsOwnListenerBesideTheOptionsOne() {
        ManualScheduler clock = new ManualScheduler();
        MemoryTarget src = new MemoryTarget("src").file("a.txt", "aaa", T).file("b.txt", "bb", T);
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> shared = new CopyOnWriteArrayList<>();
        SyncListener optionsListener = new SyncListener() {
            @Override
            public void finished(SyncAction action) {
                shared.add(action.path().toString());
            }
        };
        SyncJob job = SyncJob.builder(src).scheduler(clock)
                .destination("one", new MemoryTarget("one")).destination("two", new MemoryTarget("two"))
                .options(SyncOptions.builder().listener(optionsListener).build())
                .progress(dest -> new SyncListener() {
                    @Override
                    public void planned(SyncPlan plan) {
                        seen.add(dest + " planned " + plan.filesToCopy());
                    }

                    @Override
                    public void transferred(SyncAction action, long bytes) {
                        seen.add(dest + " bytes " + action.path() + " " + bytes);
                    }
                })
                .listener(new SyncJob.Listener() {
                    @Override
                    public void runStarted(SyncJob.Status status) {
                        seen.add(status.destination() + " started running=" + status.running());
                    }
                })
                .build();
        job.trigger();
        clock.advance(Duration.ZERO);
        assertThat(seen).contains("one started running=true", "two started running=true", "one planned 2",
                "two planned 2", "one bytes a.txt 3", "two bytes b.txt 2");
        assertThat(seen.indexOf("one started running=true")).isLessThan(seen.indexOf("one planned 2"));
        assertThat(shared).hasSize(4); // the options' own listener still hears both destinations
        job.close();
    }
}
