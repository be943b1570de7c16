package dev.ferry.backend.crypt;

import static org.assertj.core.api.Assertions.assertThat;
import dev.ferry.testkit.TestSecrets;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.core.SyncTargets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Sizes around the 64 KiB chunk edges and random offsets: what is written reads back whole and
 * from any offset, the stored size is the one the format predicts, and the listing maps it back.
 */
class ChunkEdgeProperties {

    private static Path dir;
    private static SyncTarget vault;

    @BeforeContainer
    static void open() throws IOException {
        dir = Files.createTempDirectory("crypt-edges");
        vault = SyncTargets.load().open("crypt:" + dir, Map.of("password", TestSecrets.secret("edges")));
    }

    @AfterContainer
    static void close() throws IOException {
        vault.close();
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Provide
    Arbitrary<Integer> sizes() {
        Arbitrary<Integer> edge = Arbitraries.integers().between(0, 4).flatMap(k ->
                Arbitraries.integers().between(-2, 2).map(d -> Math.max(0, k * ContentFormat.CHUNK_DATA + d)));
        return Arbitraries.oneOf(edge, Arbitraries.integers().between(0, 5 * ContentFormat.CHUNK_DATA));
    }

    @Property(tries = 60)
    void writesReadBackFromAnyOffset(@ForAll("sizes") int size, @ForAll long seed,
            @ForAll("fractions") double where) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        SyncPath path = SyncPath.of("f" + size + "-" + Long.toHexString(seed));
        Entry written = vault.write(path, new ByteArrayInputStream(data), WriteHints.ofSize(size));
        assertThat(written.size()).isEqualTo(size);
        Path stored = dir.resolve(((CryptTarget) vault).vault().storedFile(path).toString());
        assertThat(Files.size(stored)).isEqualTo(ContentFormat.encryptedSize(size));
        assertThat(vault.stat(path)).get().extracting(Entry::size).isEqualTo((long) size);

        long offset = Math.round(where * (size + 2)); // up to just past the end
        try (InputStream in = vault.open(path, offset)) {
            byte[] tail = offset >= size ? new byte[0] : Arrays.copyOfRange(data, (int) offset, size);
            assertThat(in.readAllBytes()).isEqualTo(tail);
        }
        vault.delete(path);
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0, 1), Arbitraries.of(0.0, 1.0, 0.5));
    }

    @Property(tries = 200)
    void storedSizesMapBack(@ForAll("longSizes") long size) {
        assertThat(ContentFormat.decryptedSize(ContentFormat.encryptedSize(size))).isEqualTo(size);
    }

    @Provide
    Arbitrary<Long> longSizes() {
        return Arbitraries.longs().between(0, 1L << 50);
    }
}
