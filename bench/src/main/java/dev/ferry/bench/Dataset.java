package dev.ferry.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A reproducible dataset: every file's path, size, content and mtime is a pure function of the
 * fixed seed, the file's index and its generation (0 = original; n = the n-th rewrite).
 * Content is pseudo-random, so it does not compress.
 */
final class Dataset {
    static final long SEED = 0x0F3E_2A7B_5EEDL;
    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;
    /** mtime of generation 0 of file i: 2024-01-01T00:00:00Z + i seconds. */
    static final long BASE_MTIME = 1_704_067_200L;
    /** mtime of generation g > 0 of file i: 2024-06-01T00:00:00Z + g days + i seconds. */
    static final long CHANGED_MTIME = 1_717_200_000L;
    private static final int FORMAT_VERSION = 1;

    enum Kind { SMALL, LARGE }

    private final Kind kind;
    private final int count;
    private final long minSize;
    private final long maxSize;
    private final int topDirs;
    private final int subDirs;
    private final long salt;

    private Dataset(Kind kind, int count, long minSize, long maxSize, int topDirs, int subDirs) {
        this.kind = kind;
        this.count = count;
        this.minSize = minSize;
        this.maxSize = maxSize;
        this.topDirs = topDirs;
        this.subDirs = subDirs;
        this.salt = (kind.ordinal() + 1) * 0x9E37_79B9_7F4A_7C15L;
    }

    /** {@code count} files of 1–16 KiB (uniform), spread round-robin over 10 × 10 directories. */
    static Dataset small(int count) {
        return new Dataset(Kind.SMALL, count, KIB, 16 * KIB, 10, 10);
    }

    /** {@code count} files of exactly {@code size} bytes in one directory. */
    static Dataset large(int count, long size) {
        return new Dataset(Kind.LARGE, count, size, size, 0, 0);
    }

    Kind kind() {
        return kind;
    }

    String name() {
        return kind == Kind.SMALL ? "small" : "large";
    }

    int count() {
        return count;
    }

    /** Directory name under the data dir; differs between the full and the quick datasets. */
    String dirName() {
        return kind == Kind.SMALL
                ? "small-" + count + "x1-16KiB"
                : "large-" + count + "x" + sizeLabel(maxSize).replace(" ", "");
    }

    String describe() {
        String sizes = kind == Kind.SMALL
                ? String.format("%,d files of 1–16 KiB (uniform) in %d dirs (%d × %d)",
                        count, topDirs * subDirs, topDirs, subDirs)
                : String.format("%d files of %s", count, sizeLabel(maxSize));
        return sizes + String.format(", %,d bytes", totalBytes());
    }

    static String sizeLabel(long bytes) {
        return bytes % MIB == 0 ? bytes / MIB + " MiB" : bytes % KIB == 0 ? bytes / KIB + " KiB" : bytes + " B";
    }

    String relPath(int i) {
        if (topDirs == 0) {
            return String.format("f%03d.bin", i);
        }
        int d = i % (topDirs * subDirs);
        return String.format("d%02d/s%02d/f%05d.bin", d / subDirs, d % subDirs, i);
    }

    long size(int i) {
        if (minSize == maxSize) {
            return minSize;
        }
        return minSize + new SplittableRandom(mix(salt, 0x51E, i)).nextLong(maxSize - minSize + 1);
    }

    long totalBytes() {
        long sum = 0;
        for (int i = 0; i < count; i++) {
            sum += size(i);
        }
        return sum;
    }

    /** Modification time of generation {@code gen} of file {@code i}, whole seconds. */
    FileTime mtime(int i, int gen) {
        long s = gen == 0 ? BASE_MTIME + i : CHANGED_MTIME + gen * 86_400L + i;
        return FileTime.from(s, TimeUnit.SECONDS);
    }

    /** How many files one change round rewrites: 1%, at least one. */
    int changesPerRound() {
        return Math.max(1, count / 100);
    }

    /** The files rewritten in change round {@code round} (≥ 1), sorted, deterministic. */
    int[] changeSet(int round) {
        SplittableRandom r = new SplittableRandom(mix(salt, 0xC4A96E, round));
        TreeSet<Integer> picked = new TreeSet<>();
        int k = changesPerRound();
        while (picked.size() < k) {
            picked.add(r.nextInt(count));
        }
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Writes generation {@code gen} of file {@code i} under {@code root} (truncating in place). */
    void write(Path root, int i, int gen) throws IOException {
        Path p = root.resolve(relPath(i));
        Files.createDirectories(p.getParent());
        long remaining = size(i);
        SplittableRandom r = new SplittableRandom(mix(salt, 0xC0DE, i, gen));
        int bufLen = (int) Math.min(MIB, (remaining + 7) & ~7L);
        byte[] buf = new byte[bufLen];
        ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream out = Files.newOutputStream(p)) {
            while (remaining > 0) {
                int n = (int) Math.min(buf.length, remaining);
                bb.clear();
                for (int k = 0; k < n; k += 8) {
                    bb.putLong(k, r.nextLong());
                }
                out.write(buf, 0, n);
                remaining -= n;
            }
        }
        Files.setLastModifiedTime(p, mtime(i, gen));
    }

    /** The expected file listing of generation 0: relative path → size. */
    Map<String, Long> expectedSizes() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            m.put(relPath(i), size(i));
        }
        return m;
    }

    String manifest() {
        return "ferry-bench dataset v" + FORMAT_VERSION + "\n"
                + "seed=" + Long.toHexString(SEED) + "\n"
                + "kind=" + name() + "\n"
                + "count=" + count + "\n"
                + "size=" + minSize + ".." + maxSize + "\n"
                + "layout=" + topDirs + "x" + subDirs + "\n"
                + "totalBytes=" + totalBytes() + "\n";
    }

    Path sourceDir(Path dataDir) {
        return dataDir.resolve(dirName());
    }

    private Path manifestFile(Path dataDir) {
        return dataDir.resolve(dirName() + ".manifest");
    }

    private Path dirtyMarker(Path dataDir) {
        return dataDir.resolve(dirName() + ".dirty");
    }

    /**
     * Returns the dataset's source directory under {@code dataDir}, reusing it when it is present and
     * complete (manifest matches, not left modified by an interrupted run, every file of the right size
     * and mtime, nothing else) and generating it from scratch otherwise.
     */
    Path ensure(Path dataDir, Log log) throws IOException {
        Path src = sourceDir(dataDir);
        String why = reuseProblem(dataDir);
        if (why == null) {
            log.info("dataset %s: reusing %s", name(), src);
            return src;
        }
        log.info("dataset %s: generating %s (%s): %s", name(), src, describe(), why);
        long t0 = System.nanoTime();
        Files.deleteIfExists(manifestFile(dataDir));
        Fs.deleteRecursively(src);
        Files.createDirectories(src);
        for (int i = 0; i < count; i++) {
            write(src, i, 0);
        }
        Files.deleteIfExists(dirtyMarker(dataDir));
        Files.writeString(manifestFile(dataDir), manifest(), StandardCharsets.UTF_8);
        log.info("dataset %s: generated in %.1f s", name(), (System.nanoTime() - t0) / 1e9);
        return src;
    }

    /** Why the dataset present under {@code dataDir} cannot be reused, or null if it can. */
    String reuseProblem(Path dataDir) throws IOException {
        Path src = sourceDir(dataDir);
        Path mf = manifestFile(dataDir);
        if (!Files.isDirectory(src) || !Files.isRegularFile(mf)) {
            return "not present";
        }
        if (!Files.readString(mf, StandardCharsets.UTF_8).equals(manifest())) {
            return "manifest differs";
        }
        if (Files.exists(dirtyMarker(dataDir))) {
            return "left modified by an interrupted run";
        }
        Tree tree = Tree.scan(src, false);
        Map<String, Long> expected = expectedSizes();
        if (tree.files().size() != expected.size()) {
            return "has " + tree.files().size() + " files, expected " + expected.size();
        }
        for (int i = 0; i < count; i++) {
            Tree.FileMeta m = tree.files().get(relPath(i));
            if (m == null || m.size() != size(i)
                    || m.mtime().to(TimeUnit.SECONDS) != mtime(i, 0).to(TimeUnit.SECONDS)) {
                return relPath(i) + " missing or changed";
            }
        }
        return null;
    }

    /**
     * Rewrites change round {@code round}'s files with generation {@code round} (new content, same size,
     * new mtime). Marks the dataset dirty until {@link #restore} puts the originals back.
     * Returns the relative paths changed.
     */
    List<String> applyChange(Path dataDir, int round) throws IOException {
        if (round < 1) {
            throw new IllegalArgumentException("round must be ≥ 1");
        }
        Path marker = dirtyMarker(dataDir);
        if (!Files.exists(marker)) {
            Files.writeString(marker, "change rounds applied; regenerate\n", StandardCharsets.UTF_8);
        }
        List<String> changed = new ArrayList<>();
        Path src = sourceDir(dataDir);
        for (int i : changeSet(round)) {
            write(src, i, round);
            changed.add(relPath(i));
        }
        return changed;
    }

    /** Puts generation 0 back for the given files and clears the dirty marker. */
    void restore(Path dataDir, int[] indexes) throws IOException {
        Path src = sourceDir(dataDir);
        for (int i : indexes) {
            write(src, i, 0);
        }
        Files.deleteIfExists(dirtyMarker(dataDir));
    }

    /** Union of the change sets of rounds 1..rounds. */
    int[] touchedBy(int rounds) {
        TreeSet<Integer> all = new TreeSet<>();
        for (int r = 1; r <= rounds; r++) {
            Arrays.stream(changeSet(r)).forEach(all::add);
        }
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    /** SplitMix64-style mixing of the seed with the given parts. */
    static long mix(long... parts) {
        long h = SEED;
        for (long p : parts) {
            h ^= p;
            h += 0x9E37_79B9_7F4A_7C15L;
            h = (h ^ (h >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
            h = (h ^ (h >>> 27)) * 0x94D0_49BB_1331_11EBL;
            h ^= h >>> 31;
        }
        return h;
    }
}
