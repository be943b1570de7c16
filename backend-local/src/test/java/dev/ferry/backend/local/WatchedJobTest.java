package dev.ferry.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.core.SyncJob;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job watching a real folder: every kind of change arrives, and a burst costs few runs. */
class WatchedJobTest {

    @TempDir
    Path tmp;

    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(root)) {
            return m;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p)) {
                    m.put(root.relativize(p).toString(), Files.readString(p));
                }
            }
        }
        return m;
    }

    static void awaitEqual(Path a, Path b) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!quietlyEqual(a, b)) {
            if (System.nanoTime() > deadline) {
                assertThat(tree(b)).isEqualTo(tree(a));
            }
            Thread.sleep(50);
        }
    }

    /** Equal trees; a tree that changed under the walk counts as not equal yet. */
    static boolean quietlyEqual(Path a, Path b) {
        try {
            return tree(a).equals(tree(b));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    @Test
    void changesInNewNestedDirectoriesArePickedUpAndABurstCostsFewRuns() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = tmp.resolve("dst");
        AtomicInteger runs = new AtomicInteger();
        try (SyncTarget s = SyncTargets.load().open(src.toString());
                SyncTarget d = SyncTargets.load().open(dst.toString());
                SyncJob job = SyncJob.builder(s).destination("dst", d)
                        .options(SyncOptions.builder().mode(SyncMode.MIRROR).build())
                        .watch(src, Duration.ofMillis(300))
                        .listener(new SyncJob.Listener() {
                            @Override
                            public void runEnded(SyncJob.Status status, boolean failed) {
                                runs.incrementAndGet();
                            }
                        })
                        .build()) {
            job.start();
            Files.createDirectories(src.resolve("new/deeper/still"));
            Files.writeString(src.resolve("new/deeper/still/created.txt"), "created");
            Files.writeString(src.resolve("top.txt"), "v1");
            awaitEqual(src, dst);

            Files.writeString(src.resolve("top.txt"), "v2 longer");
            Files.move(src.resolve("new/deeper/still/created.txt"), src.resolve("new/renamed.txt"));
            awaitEqual(src, dst);
            Files.delete(src.resolve("new/renamed.txt"));
            awaitEqual(src, dst);

            int before = runs.get();
            Files.createDirectories(src.resolve("burst"));
            for (int i = 0; i < 1000; i++) {
                Files.writeString(src.resolve("burst/f" + i + ".txt"), "x" + i);
            }
            awaitEqual(src, dst);
            Thread.sleep(800); // let any last debounced trigger fire
            int burstRuns = runs.get() - before;
            assertThat(burstRuns).as("runs for a burst of 1,000 files").isBetween(1, 4);
            assertThat(tree(dst)).hasSize(1001);
        }
    }
}
