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
 * scheduler ({@code ferry sync SRC DST --shards N --plan}).
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

    private ShardPlan() {}

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
