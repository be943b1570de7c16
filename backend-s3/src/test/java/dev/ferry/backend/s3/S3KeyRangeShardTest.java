package dev.ferry.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.SyncPath;
import dev.ferry.api.TargetSpec;
import dev.ferry.core.Filter;
import dev.ferry.core.Shard;
import dev.ferry.core.ShardPlan;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Key-range shards on a flat prefix: each shard's fast listing starts at its range with
 * {@code StartAfter} and stops past it, so N shards list the prefix about once between them, and
 * the N runs give what one run gives.
 */
class S3KeyRangeShardTest {

    private static final int N = 1_200;

    @TempDir
    Path tmp;

    @Test
    void eachShardListsItsRangeOnlyAndTheShardsTogetherEqualOneRun() throws Exception {
        S3ProxyServer server = S3ProxyServer.inMemory();
        String prefix = S3ProxyServer.freshPrefix("ranges");
        try (S3Client raw = server.client()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> puts = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int first = t;
                    puts.add(pool.submit(() -> {
                        for (int i = first; i < N; i += 8) {
                            String key = prefix + "/k" + String.format("%05d", i * 37 % 10_000);
                            raw.putObject(b -> b.bucket(S3ProxyServer.BUCKET).key(key), RequestBody.fromString("v" + i));
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
        try (S3Target target = (S3Target) new S3TargetProvider().open(new TargetSpec(
                URI.create("s3://" + S3ProxyServer.BUCKET + "/" + prefix), opts))) {
            ShardPlan.KeyRanges ranges = ShardPlan.keyRanges(target, 4, Filter.NONE, 400);
            int listed = 0;
            for (int i = 0; i < 4; i++) {
                Shard s = new Shard(i, 4, ranges.bounds());
                int[] seen = {0, 0};
                target.listRecursive(SyncPath.ROOT, S3PaginationTest.sink(e -> {
                    seen[0]++;
                    if (s.includes(e.path())) {
                        seen[1]++;
                    }
                }), ranges.bounds().from(i), ranges.bounds().until(i));
                // Everything in the range, and at most a handful besides (the keys between the
                // range's first key cut short and the key itself).
                assertThat(seen[1]).as("shard %d in range", i).isBetween(200, 400);
                assertThat(seen[0] - seen[1]).as("shard %d outside its range", i).isLessThanOrEqualTo(2);
                listed += seen[0];
            }
            assertThat(listed).as("four shards list the prefix about once between them").isBetween(N, N + 8);

            Path one = tmp.resolve("one");
            Path sharded = tmp.resolve("sharded");
            for (Path d : List.of(one, sharded)) {
                Files.createDirectories(d);
                Files.writeString(d.resolve("k99999"), "stale: not in the source");
                Files.writeString(d.resolve("a-first"), "stale too");
            }
            SyncOptions.Builder base = SyncOptions.builder().mode(SyncMode.MIRROR).fastList(true)
                    .stateDirectory(tmp.resolve("state"));
            try (var local = dev.ferry.core.SyncTargets.load().open(one.toString())) {
                assertThat(Sync.between(target, local, base.build()).run().succeeded()).isTrue();
            }
            for (int i = 0; i < 4; i++) {
                Shard s = new Shard(i, 4, ranges.bounds());
                try (var local = dev.ferry.core.SyncTargets.load().open(sharded.toString())) {
                    var r = Sync.between(target, local, base.filter(Filter.builder().shard(s).build()).build()).run();
                    assertThat(r.succeeded()).as("shard %d: %s", i, r.failures()).isTrue();
                }
            }
            assertThat(tree(sharded)).hasSize(N).isEqualTo(tree(one));
        }
    }

    private static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                out.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return out;
    }
}
