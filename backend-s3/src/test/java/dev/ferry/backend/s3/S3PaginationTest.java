package dev.ferry.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.SyncPath;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** 10,000 keys listed 100 at a time (S3Proxy's in-memory store: the filesystem one re-walks per page). */
class S3PaginationTest {

    private static final int N = 10_000;

    @Test
    void smallPagesOverTenThousandKeysListEachOnce() throws Exception {
        S3ProxyServer server = S3ProxyServer.inMemory();
        String prefix = S3ProxyServer.freshPrefix("pages");
        try (S3Client raw = server.client()) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<?>> puts = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    int first = t;
                    puts.add(pool.submit(() -> {
                        for (int i = first; i < N; i += 16) {
                            String key = prefix + "/flat/k" + String.format("%05d", i) + (i % 10 == 0 ? "/x" : "");
                            raw.putObject(b -> b.bucket(S3ProxyServer.BUCKET).key(key), RequestBody.fromBytes(new byte[] {1}));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : puts) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        Map<String, String> opts = server.credentials();
        opts.put("listChunk", "100");
        opts.put("listModTimes", "false");
        try (S3Target target = (S3Target) new S3TargetProvider().open(new dev.ferry.api.TargetSpec(
                java.net.URI.create("s3://" + S3ProxyServer.BUCKET + "/" + prefix), opts))) {
            BitSet files = new BitSet(N);
            BitSet dirs = new BitSet(N);
            int[] count = {0};
            target.list(SyncPath.of("flat"), sink(e -> {
                int i = Integer.parseInt(e.path().name().substring(1));
                BitSet set = e.isDirectory() ? dirs : files;
                assertThat(set.get(i)).as("listed twice: %s", e.path()).isFalse();
                set.set(i);
                count[0]++;
            }));
            assertThat(count[0]).isEqualTo(N);
            assertThat(dirs.cardinality()).isEqualTo(N / 10);
            assertThat(files.cardinality()).isEqualTo(N - N / 10);

            int[] all = {0, 0};
            target.listRecursive(SyncPath.ROOT, sink(e -> all[e.isFile() ? 0 : 1]++));
            assertThat(all[0]).as("files below the root").isEqualTo(N);
            assertThat(all[1]).as("directories below the root").isEqualTo(1 + N / 10);
        }
    }

    interface EntryConsumer {
        void accept(Entry e);
    }

    /** A sink that passes entries on and fails on any notice. */
    static ListingSink sink(EntryConsumer c) {
        return new ListingSink() {
            @Override
            public void entry(Entry entry) {
                c.accept(entry);
            }

            @Override
            public void notice(ListingNotice notice) {
                throw new AssertionError("unexpected notice " + notice);
            }
        };
    }
}
