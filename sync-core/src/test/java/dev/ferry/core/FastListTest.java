package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.RecursiveLister;
import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fastList}: a target that lists a whole tree in one go is asked once, not per directory. */
class FastListTest {

    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @TempDir
    Path stateDir;

    /** An object store: a flat listing of files only (directories are implied by the keys). */
    static final class FlatStore extends MemoryTarget implements RecursiveLister {
        final AtomicInteger directoryListings = new AtomicInteger();
        final AtomicInteger treeListings = new AtomicInteger();

        FlatStore(String name) {
            super(name);
        }

        @Override
        public void list(SyncPath directory, ListingSink sink) throws IOException {
            directoryListings.incrementAndGet();
            super.list(directory, sink);
        }

        @Override
        public void listRecursive(SyncPath directory, ListingSink sink) throws IOException {
            treeListings.incrementAndGet();
            for (Map.Entry<SyncPath, Node> e : nodes.entrySet()) {
                if (!e.getValue().dir() && directory.contains(e.getKey())) {
                    if (unspellable.contains(e.getKey().name())) {
                        sink.notice(ListingNotice.unrepresentableName(e.getKey().parent(), "caf\uFFFD.txt", "cannot spell"));
                        continue;
                    }
                    Entry x = toEntry(e.getKey(), e.getValue());
                    sink.entry(x);
                }
            }
        }
    }

    SyncOptions.Builder mirror(boolean fast) {
        return SyncOptions.builder().mode(SyncMode.MIRROR).fastList(fast).stateDirectory(stateDir).retry(RetryPolicy.NONE);
    }

    static void fill(MemoryTarget t) {
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 4; j++) {
                t.file("d" + i + "/e" + j + "/f.txt", "x" + i + j, T0);
            }
        }
        t.file("top.txt", "t", T0);
    }

    @Test
    void aFlatListingReplacesAListingPerDirectoryAndPlansTheSame() throws IOException {
        FlatStore src = new FlatStore("S");
        fill(src);
        FlatStore slow = new FlatStore("D1");
        FlatStore fast = new FlatStore("D2");
        slow.file("d0/e0/extra.txt", "gone", T0);
        fast.file("d0/e0/extra.txt", "gone", T0);
        SyncReport r1 = Sync.between(src, slow, mirror(false).build()).run();
        int perDirectory = src.directoryListings.get();
        SyncReport r2 = Sync.between(src, fast, mirror(true).build()).run();
        assertThat(r2.failures()).isEmpty();
        assertThat(TwoWaySyncTest.files(fast)).isEqualTo(TwoWaySyncTest.files(slow)).isEqualTo(TwoWaySyncTest.files(src));
        assertThat(r2.filesCopied()).isEqualTo(r1.filesCopied());
        assertThat(r2.filesDeleted()).isEqualTo(1);
        assertThat(perDirectory).as("root, 5 and 20 directories").isEqualTo(26);
        assertThat(src.directoryListings.get()).as("none more with fast list").isEqualTo(perDirectory);
        assertThat(src.treeListings.get()).isEqualTo(1);
        assertThat(fast.treeListings.get()).isEqualTo(1);
        assertThat(fast.directoryListings.get()).isZero();
        // A no-op is still a no-op.
        assertThat(Sync.between(src, fast, mirror(true).build()).dryRun().actions()).isEmpty();
    }

    @Test
    void aNoticeDeepInTheTreeStillProtectsItsDirectory() throws IOException {
        FlatStore src = new FlatStore("S");
        fill(src);
        src.file("d1/e1/café.txt", "c", T0);
        src.unspellable.add("café.txt");
        MemoryTarget dst = new MemoryTarget("D");
        fill(dst);
        dst.file("d1/e1/café.txt", "c", T0);
        SyncReport r = Sync.between(src, dst, mirror(true).build()).run();
        assertThat(r.failures()).isEmpty();
        assertThat(dst.content("d1/e1/café.txt")).isEqualTo("c");
    }
}
