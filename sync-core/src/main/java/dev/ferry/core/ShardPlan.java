package dev.ferry.core;

import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a source splits into {@link Shard}s: files and bytes per shard and which top-level names
 * each holds, from one walk of the source, so a user can pick N before handing the shards to a
 * scheduler ({@code ferry sync SRC DST --shards N --plan}); or, for key ranges, the cuts that
 * split the paths evenly, from a sample of that walk ({@link #keyRanges}).
 */
public final class ShardPlan {

    /**
     * One shard's part.
     *
     * @param shard the shard
     * @param files files in it (after the filter)
     * @param bytes their size
     * @param topLevel the top-level names that fall in it, sorted
     */
    public record Part(Shard shard, long files, long bytes, List<String> topLevel) {
        /** Copies. */
        public Part {
            topLevel = List.copyOf(topLevel);
        }
    }

    /**
     * A split into key ranges.
     *
     * @param bounds the cuts every shard of the job must be given
     * @param parts each shard's part (no top-level names: a range cuts across them)
     * @param estimated whether the parts are scaled from the sample (the tree held more files than it)
     */
    public record KeyRanges(ShardBounds bounds, List<Part> parts, boolean estimated) {
        /** Copies. */
        public KeyRanges {
            parts = List.copyOf(parts);
        }
    }

    /** How many paths {@link #keyRanges} samples by default: enough for cuts within about 1% of even. */
    public static final int DEFAULT_SAMPLE = 10_000;

    private ShardPlan() {}

    /**
     * Walks {@code source} once, keeping a uniform sample of at most {@code sampleSize} file paths
     * (reservoir sampling, seeded, so the same listing gives the same cuts), and cuts the sample
     * into {@code count} ranges of equal file counts. Memory is bounded by the sample, not by the
     * tree, and no directory's listing is held whole.
     */
    public static KeyRanges keyRanges(SyncTarget source, int count, Filter filter, int sampleSize) throws IOException {
        new Shard(0, count); // validates count
        if (sampleSize < count) {
            throw new IllegalArgumentException("a sample of " + sampleSize + " cannot cut " + count + " shards");
        }
        List<String> paths = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        long[] totals = new long[2];
        java.util.Random random = new java.util.Random(0x5eed);
        Instant now = Instant.now();
        DepthFirstWalk.eachFile(source, SyncPath.ROOT, new ArrayList<>(), f -> {
            if (!filter.includesFile(f, now)) {
                return;
            }
            long seen = ++totals[0];
            totals[1] += f.size();
            if (paths.size() < sampleSize) {
                paths.add(f.path().toString());
                sizes.add(f.size());
            } else {
                long k = (long) (random.nextDouble() * seen);
                if (k < sampleSize) {
                    paths.set((int) k, f.path().toString());
                    sizes.set((int) k, f.size());
                }
            }
        });
        Integer[] order = new Integer[paths.size()];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, (a, b) -> ShardBounds.ORDER.compare(paths.get(a), paths.get(b)));
        int n = order.length;
        List<String> cuts = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            cuts.add(n == 0 ? "" : paths.get(order[(int) ((long) i * n / count)]));
        }
        ShardBounds bounds = new ShardBounds(cuts);
        boolean estimated = totals[0] > n;
        long sampledBytes = 0;
        for (long size : sizes) {
            sampledBytes += size;
        }
        List<Part> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < count; i++) {
            int until = i == count - 1 ? n : (int) ((long) (i + 1) * n / count);
            long files = until - from;
            long bytes = 0;
            for (int k = from; k < until; k++) {
                bytes += sizes.get(order[k]);
            }
            if (estimated) {
                files = Math.round((double) files * totals[0] / n);
                bytes = sampledBytes == 0 ? 0 : Math.round((double) bytes * totals[1] / sampledBytes);
            }
            parts.add(new Part(new Shard(i, count, bounds), files, bytes, List.of()));
            from = until;
        }
        return new KeyRanges(bounds, parts, estimated);
    }

    /** Walks {@code source} once and splits what {@code filter} lets through into {@code count} shards. */
    public static List<Part> of(SyncTarget source, int count, Filter filter) throws IOException {
        new Shard(0, count); // validates count
        Map<String, long[]> byTop = new TreeMap<>();
        Instant now = Instant.now();
        DepthFirstWalk.walk(source, SyncPath.ROOT, new ArrayList<>(), (dir, files) -> {
            for (var f : files) {
                if (filter.includesFile(f, now)) {
                    String p = f.path().toString();
                    int slash = p.indexOf('/');
                    long[] t = byTop.computeIfAbsent(slash < 0 ? p : p.substring(0, slash), k -> new long[2]);
                    t[0]++;
                    t[1] += f.size();
                }
            }
        }, dir -> { });
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long files = 0;
            long bytes = 0;
            List<String> tops = new ArrayList<>();
            for (Map.Entry<String, long[]> e : byTop.entrySet()) {
                if (Shard.of(e.getKey(), count) == i) {
                    files += e.getValue()[0];
                    bytes += e.getValue()[1];
                    tops.add(e.getKey());
                }
            }
            parts.add(new Part(new Shard(i, count), files, bytes, tops));
        }
        return parts;
    }
}
