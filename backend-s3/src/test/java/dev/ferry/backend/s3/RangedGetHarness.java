package dev.ferry.backend.s3;

import dev.ferry.testkit.TestContent;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Measures one GET against N parallel ranged GETs of a large object on S3Proxy (loopback), to
 * decide whether {@code S3Target.open} should fetch ranges ahead. Not a test: run by hand, see
 * backend-s3/README.md. Arguments: size in MiB (default 256), range size in MiB (default 16).
 */
public final class RangedGetHarness {

    private RangedGetHarness() {}

    public static void main(String[] args) throws Exception {
        long size = (args.length > 0 ? Long.parseLong(args[0]) : 256) << 20;
        long range = (args.length > 1 ? Long.parseLong(args[1]) : 16) << 20;
        for (S3ProxyServer server : List.of(S3ProxyServer.get(), S3ProxyServer.inMemory())) {
            String store = server == S3ProxyServer.get() ? "filesystem" : "transient";
            try (S3Client c = server.client()) {
                String key = S3ProxyServer.freshPrefix("ranged") + "/big.bin";
                c.putObject(b -> b.bucket(S3ProxyServer.BUCKET).key(key),
                        RequestBody.fromContentProvider(() -> TestContent.stream(1, size), size, "application/octet-stream"));
                // Interleaved rounds, the first one as JIT warm-up; the median speaks, as the
                // machine is shared and single rounds swing by a factor of two.
                int[] parallel = {1, 2, 4, 8};
                long[][] nanos = new long[parallel.length][ROUNDS];
                for (int round = -1; round < ROUNDS; round++) {
                    for (int i = 0; i < parallel.length; i++) {
                        int n = parallel[i];
                        long t = time(() -> {
                            if (n == 1) {
                                drain(c, key, null);
                            } else {
                                ranged(c, key, size, range, n);
                            }
                        });
                        if (round >= 0) {
                            nanos[i][round] = t;
                        }
                    }
                }
                for (int i = 0; i < parallel.length; i++) {
                    java.util.Arrays.sort(nanos[i]);
                    report(store, parallel[i] == 1 ? "single GET" : parallel[i] + " ranged GETs of " + (range >> 20)
                            + " MiB", size, nanos[i]);
                }
            }
        }
        System.exit(0);
    }

    interface Run {
        void run() throws Exception;
    }

    private static long time(Run r) throws Exception {
        long t = System.nanoTime();
        r.run();
        return System.nanoTime() - t;
    }

    private static final int ROUNDS = 7;

    private static void report(String store, String what, long size, long[] sorted) {
        System.out.printf("%-10s %-28s median %5.0f MB/s (min %5.0f, max %5.0f)%n", store, what,
                mbps(size, sorted[ROUNDS / 2]), mbps(size, sorted[ROUNDS - 1]), mbps(size, sorted[0]));
    }

    private static double mbps(long size, long nanos) {
        return size / 1e6 / (nanos / 1e9);
    }

    private static long drain(S3Client c, String key, String range) throws Exception {
        byte[] buf = new byte[1 << 16];
        long n = 0;
        try (InputStream in = c.getObject(b -> b.bucket(S3ProxyServer.BUCKET).key(key).range(range))) {
            for (int r; (r = in.read(buf)) >= 0; ) {
                n += r;
            }
        }
        return n;
    }

    private static void ranged(S3Client c, String key, long size, long range, int parallel) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<Long>> parts = new ArrayList<>();
            for (long off = 0; off < size; off += range) {
                String r = "bytes=" + off + "-" + (Math.min(size, off + range) - 1);
                parts.add(pool.submit(() -> drain(c, key, r)));
            }
            long total = 0;
            for (Future<Long> f : parts) {
                total += f.get();
            }
            if (total != size) {
                throw new IllegalStateException("read " + total + " of " + size);
            }
        } finally {
            pool.shutdown();
        }
    }
}
