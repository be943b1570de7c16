package dev.ferry.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * The on-disk tree of {@code --scale}: {@code n} small files (0 to 1,023 bytes) laid out as the
 * engine's synthetic target lays out its entries, {@code a<i/10000>/b<(i/100)%100>/f<i%100>},
 * 100 files per directory. Sizes, content and mtimes are functions of the index, so a tree is
 * reused when its marker says it is complete for this {@code n}.
 */
final class ScaleDataset {
    private static final long BASE_SECONDS = 1_700_000_000L;

    private ScaleDataset() {
    }

    /** The tree of {@code n} files under {@code dir}, generated unless a complete one is there. */
    static Path ensure(Path dir, long n, Log log) throws IOException {
        Path marker = dir.resolveSibling(dir.getFileName() + ".complete");
        String expected = "scale v1 files=" + n + "\n";
        if (Files.isRegularFile(marker) && Files.readString(marker).equals(expected) && Files.isDirectory(dir)) {
            return dir;
        }
        Files.deleteIfExists(marker);
        Fs.deleteRecursively(dir);
        log.info("generating %,d files in %s", n, dir);
        byte[] buf = new byte[1024];
        for (long i = 0; i < n; i++) {
            Path leaf = dir.resolve(relative(i));
            if (i % 100 == 0) {
                Files.createDirectories(leaf.getParent());
            }
            long h = mix(i);
            int size = (int) ((h >>> 1) % 1024);
            for (int k = 0; k < size; k++) {
                buf[k] = (byte) (h >>> ((k & 7) * 8) ^ k);
            }
            try (OutputStream out = Files.newOutputStream(leaf)) {
                out.write(buf, 0, size);
            }
            Files.setLastModifiedTime(leaf, FileTime.fromMillis((BASE_SECONDS + (h >>> 40) % 10_000_000L) * 1000));
        }
        Files.writeString(marker, expected, StandardCharsets.UTF_8);
        return dir;
    }

    /** File {@code i}'s path below the root. */
    static String relative(long i) {
        return "a" + i / 10_000 + "/b" + (i / 100) % 100 + "/f" + i % 100;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
