package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Entry;
import dev.ferry.api.ServerSideCopy;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A one-way copy between two places of one store is done by the store ({@link ServerSideCopy#copyFrom}). */
class StoreCopyTest {

    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @TempDir
    Path stateDir;

    /** One of several folders of one "store": copies between them need no bytes through the client. */
    static final class StoreFolder extends MemoryTarget implements ServerSideCopy {
        final Object store;
        final AtomicInteger storeCopies = new AtomicInteger();

        StoreFolder(String name, Object store) {
            super(name);
            this.store = store;
        }

        @Override
        public Entry copy(SyncPath from, SyncPath to) {
            throw new UnsupportedOperationException("not used here");
        }

        @Override
        public boolean canCopyFrom(SyncTarget source) {
            return source instanceof StoreFolder f && f.store == store;
        }

        @Override
        public Entry copyFrom(SyncTarget source, SyncPath from, SyncPath to) {
            storeCopies.incrementAndGet();
            Node n = ((StoreFolder) source).nodes.get(from);
            file(to.toString(), new String(n.data()), n.mtime());
            return toEntry(to, nodes.get(to));
        }
    }

    SyncOptions.Builder mirror() {
        return SyncOptions.builder().mode(SyncMode.MIRROR).stateDirectory(stateDir).retry(RetryPolicy.NONE);
    }

    @Test
    void twoFoldersOfOneStoreCopyOnTheStore() throws IOException {
        Object store = new Object();
        StoreFolder src = new StoreFolder("S", store);
        StoreFolder dst = new StoreFolder("D", store);
        src.file("a.txt", "alpha", T0).file("d/b.txt", "bravo", T0);
        SyncReport r = Sync.between(src, dst, mirror().build()).run();
        assertThat(r.failures()).isEmpty();
        assertThat(r.filesCopied()).isEqualTo(2);
        assertThat(dst.storeCopies.get()).isEqualTo(2);
        assertThat(dst.writes.get()).as("no bytes through the client").isZero();
        assertThat(TwoWaySyncTest.files(dst)).isEqualTo(TwoWaySyncTest.files(src));
        assertThat(Sync.between(src, dst, mirror().build()).dryRun().actions()).isEmpty();
    }

    @Test
    void anotherStoreOrAProtectedWriteGoesThroughTheClient() throws IOException {
        StoreFolder src = new StoreFolder("S", new Object());
        StoreFolder dst = new StoreFolder("D", new Object());
        src.file("a.txt", "alpha", T0);
        Sync.between(src, dst, mirror().build()).run();
        assertThat(dst.storeCopies.get()).isZero();
        assertThat(dst.writes.get()).isEqualTo(1);

        StoreFolder same = new StoreFolder("E", src.store);
        Sync.between(src, same, mirror().protectChanges(true).build()).run();
        assertThat(same.storeCopies.get()).as("a store copy cannot check what it replaces").isZero();
        assertThat(same.content("a.txt")).isEqualTo("alpha");
    }
}
