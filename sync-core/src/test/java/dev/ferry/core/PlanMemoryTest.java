package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Measures what the plan costs per file for a 1,000,000-file tree (1,000 directories of 1,000
 * files, all to be copied) and guards against it growing. The source generates its listing on
 * the fly, so what stays on the heap is the plan itself.
 */
class PlanMemoryTest {

    static final int DIRS = 1000;
    static final int FILES_PER_DIR = 1000;

    /** A source of DIRS x FILES_PER_DIR files that exists only as a listing. */
    static final class GeneratedTarget extends MemoryTarget {
        GeneratedTarget() {
            super("generated");
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.builder().build();
        }

        @Override
        public void list(SyncPath directory, ListingSink sink) throws IOException {
            Instant t = Instant.parse("2024-01-01T00:00:00Z");
            if (directory.isRoot()) {
                for (int d = 0; d < DIRS; d++) {
                    sink.entry(Entry.directory(SyncPath.of(String.format("dir-%04d", d))).build());
                }
            } else if (directory.depth() == 1) {
                for (int f = 0; f < FILES_PER_DIR; f++) {
                    sink.entry(Entry.file(directory.child(String.format("photo-%06d.jpg", f)), 4096 + f)
                            .modTime(t.plusSeconds(f)).build());
                }
            } else {
                throw new NotFoundException(directory.toString());
            }
        }

        @Override
        public InputStream open(SyncPath path, long offset) {
            throw new UnsupportedOperationException();
        }
    }

    static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    @Test
    void planForAMillionFilesStaysSmallPerEntry() throws Exception {
        MemoryTarget dst = new MemoryTarget("dst");
        long before = usedHeapAfterGc();
        SyncPlan plan = Sync.between(new GeneratedTarget(), dst, SyncOptions.builder().mode(SyncMode.MIRROR).build())
                .dryRun();
        long after = usedHeapAfterGc();
        long entries = (long) DIRS * FILES_PER_DIR;
        assertThat(plan.filesToCopy()).isEqualTo(entries);
        double perEntry = (after - before) / (double) entries;
        System.out.printf("plan memory: %,d files, %.0f bytes per entry retained (%,d MiB)%n", entries, perEntry,
                (after - before) >> 20);
        // Paths of ~25 characters: the entry, its path and the copy action take ~150-200 bytes.
        assertThat(perEntry).isLessThan(260);
    }
}
