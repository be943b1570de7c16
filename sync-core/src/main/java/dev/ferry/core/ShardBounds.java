package dev.ferry.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Key ranges for {@link Shard}s: N-1 cut points that split the paths of a tree, in
 * {@linkplain #ORDER code-point order}, into N consecutive ranges. Shard {@code i} takes the paths
 * {@code p} with {@code cut(i-1) <= p < cut(i)} (no lower bound for the first, no upper for the
 * last).
 *
 * <p>Why ranges besides the hash of the top-level name: a flat S3 prefix, or one huge top-level
 * directory, has nothing above its files to hash, and every hash shard would still list the
 * whole prefix. Ranges split below any level, and a backend that lists in key order can start a
 * listing at a range's first key. The cuts come from a sample of a listing
 * ({@link ShardPlan#keyRanges}); every shard of a job must use the same cuts, so they travel as a
 * small file ({@link #write}, {@link #read}) rather than being sampled again by each shard, which
 * could see a tree that changed in between.
 *
 * @param cuts the N-1 cut points, in non-decreasing {@link #ORDER} (equal cuts give an empty shard)
 */
public record ShardBounds(List<String> cuts) {

    /**
     * The order of paths: by Unicode code point, which is the byte order of their UTF-8 form and
     * so the order S3 lists keys in. ({@link String#compareTo} differs for characters above
     * U+FFFF.)
     */
    public static final Comparator<String> ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private static final String HEADER = "ferry shard bounds v1: ";

    /** Copies and checks the order. */
    public ShardBounds {
        cuts = List.copyOf(cuts);
        for (int k = 1; k < cuts.size(); k++) {
            if (ORDER.compare(cuts.get(k - 1), cuts.get(k)) > 0) {
                throw new IllegalArgumentException("shard bounds out of order: '" + cuts.get(k - 1)
                        + "' comes after '" + cuts.get(k) + "'");
            }
        }
    }

    /** How many shards these cuts make. */
    public int count() {
        return cuts.size() + 1;
    }

    /** The first path of shard {@code index}, or null for the first shard (no lower bound). */
    public String from(int index) {
        return index == 0 ? null : cuts.get(index - 1);
    }

    /** The first path past shard {@code index}, or null for the last shard (no upper bound). */
    public String until(int index) {
        return index == cuts.size() ? null : cuts.get(index);
    }

    /** Whether a file's path falls in shard {@code index}'s range. */
    boolean includesFile(int index, String path) {
        String from = from(index);
        String until = until(index);
        return (from == null || ORDER.compare(from, path) <= 0) && (until == null || ORDER.compare(path, until) < 0);
    }

    /**
     * Whether anything below a directory can fall in shard {@code index}'s range: its paths all
     * start with {@code dir/}, so they lie between {@code dir/} and everything that extends it.
     */
    boolean includesDirectory(int index, String dir) {
        String prefix = dir + "/";
        String from = from(index);
        String until = until(index);
        boolean belowUntil = until == null || ORDER.compare(prefix, until) < 0;
        boolean reachesFrom = from == null || ORDER.compare(from, prefix) <= 0 || from.startsWith(prefix);
        return belowUntil && reachesFrom;
    }

    /**
     * Writes the cuts to {@code file} (atomically: a shard never reads half a file): a header,
     * then one cut per line with {@code \} and line breaks escaped.
     */
    public void write(Path file) throws IOException {
        StringBuilder b = new StringBuilder(HEADER).append(count()).append(" shards\n");
        for (String c : cuts) {
            b.append(c.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")).append('\n');
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".ferry-bounds", ".tmp");
        try {
            Files.writeString(tmp, b, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @throws IOException naming the file when it is not a bounds file
     */
    public static ShardBounds read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).startsWith(HEADER)) {
            throw new IOException(file + " is not a shard bounds file (written by 'ferry sync SRC DST --shards N "
                    + "--plan --shard-bounds FILE'): its first line should start with '" + HEADER.trim() + "'");
        }
        List<String> cuts = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            cuts.add(unescape(line));
        }
        try {
            ShardBounds bounds = new ShardBounds(cuts);
            String declared = lines.get(0).substring(HEADER.length()).replace(" shards", "").trim();
            if (!declared.equals(Integer.toString(bounds.count()))) {
                throw new IOException(file + " says " + declared + " shards but holds cuts for " + bounds.count()
                        + "; was it cut short?");
            }
            return bounds;
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static String unescape(String line) {
        StringBuilder b = new StringBuilder(line.length());
        for (int k = 0; k < line.length(); k++) {
            char c = line.charAt(k);
            if (c == '\\' && k + 1 < line.length()) {
                char n = line.charAt(++k);
                b.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
