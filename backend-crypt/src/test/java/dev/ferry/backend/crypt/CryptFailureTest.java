package dev.ferry.backend.crypt;

import static java.nio.charset.StandardCharsets.UTF_8;
import dev.ferry.testkit.TestSecrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.ListingNotice;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.Listings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure is loud, never partial: a changed byte, a cut-off file, chunks swapped between files,
 * a wrong password and a foreign file each fail with an error naming the file; no plaintext of
 * a chunk that failed authentication is handed out; a sync goes on with the other files and
 * leaves no part of the bad one at the destination.
 */
class CryptFailureTest {

    private static final Map<String, String> OPTIONS = Map.of("password", TestSecrets.secret("failure"), "password2", TestSecrets.secret("tests"));

    @TempDir
    Path tmp;

    private Path store;
    private SyncTarget vault;
    private final byte[] big = new byte[3 * 65536 + 123];
    private final byte[] other = new byte[3 * 65536 + 123];

    @BeforeEach
    void fill() throws IOException {
        store = Files.createDirectories(tmp.resolve("store"));
        vault = SyncTargets.load().open("crypt:" + store, OPTIONS);
        new Random(1).nextBytes(big);
        new Random(2).nextBytes(other);
        put("big.bin", big);
        put("other.bin", other);
        put("small.txt", "fine".getBytes(UTF_8));
    }

    @AfterEach
    void close() throws IOException {
        vault.close();
    }

    @Test
    void oneChangedByteFailsThatChunkNamingTheFileAndHandsOutNothingOfIt() throws IOException {
        Path stored = storedFile("big.bin");
        flipByte(stored, ContentFormat.chunkOffset(1) + 100);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (InputStream in = vault.open(SyncPath.of("big.bin"), 0)) {
            assertThatThrownBy(() -> in.transferTo(got)).isInstanceOf(DecryptionException.class)
                    .hasMessageContaining("big.bin").hasMessageContaining("chunk 1");
        }
        assertThat(got.size()).as("only the authenticated first chunk came out").isEqualTo(65536);
        // An offset read inside the changed chunk fails too; one past it reads.
        assertThatThrownBy(() -> vault.open(SyncPath.of("big.bin"), 70_000).read())
                .isInstanceOf(DecryptionException.class);
        try (InputStream in = vault.open(SyncPath.of("big.bin"), 2 * 65536)) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(big, 2 * 65536, big.length));
        }
    }

    @Test
    void aChangedHeaderOrMagicIsNotACryptFile() throws IOException {
        flipByte(storedFile("small.txt"), 0);
        assertThatThrownBy(() -> vault.open(SyncPath.of("small.txt"), 0)).isInstanceOf(DecryptionException.class)
                .hasMessageContaining("small.txt").hasMessageContaining("header");
        flipByte(storedFile("big.bin"), 10); // the nonce: every chunk fails
        assertThatThrownBy(() -> vault.open(SyncPath.of("big.bin"), 0).read())
                .isInstanceOf(DecryptionException.class).hasMessageContaining("chunk 0");
    }

    @Test
    void aFileCutOffInsideAChunkFails() throws IOException {
        Path stored = storedFile("big.bin");
        try (RandomAccessFile f = new RandomAccessFile(stored.toFile(), "rw")) {
            f.setLength(ContentFormat.chunkOffset(2) + 500);
        }
        assertThatThrownBy(() -> vault.open(SyncPath.of("big.bin"), 0).readAllBytes())
                .isInstanceOf(DecryptionException.class).hasMessageContaining("big.bin").hasMessageContaining("chunk 2");
        try (RandomAccessFile f = new RandomAccessFile(stored.toFile(), "rw")) {
            f.setLength(ContentFormat.chunkOffset(2) + 10); // no more than a tag left of chunk 2
        }
        assertThat(Listings.collect(vault, SyncPath.ROOT).notices(ListingNotice.Reason.UNREADABLE))
                .as("a size no crypt file has is reported by the listing")
                .anySatisfy(n -> assertThat(n.location()).isEqualTo("big.bin"));
    }

    @Test
    void chunksSwappedBetweenFilesFail() throws IOException {
        Path a = storedFile("big.bin");
        Path b = storedFile("other.bin");
        byte[] chunkA = slice(a, ContentFormat.chunkOffset(1), ContentFormat.CHUNK_SIZE);
        byte[] chunkB = slice(b, ContentFormat.chunkOffset(1), ContentFormat.CHUNK_SIZE);
        write(a, ContentFormat.chunkOffset(1), chunkB);
        write(b, ContentFormat.chunkOffset(1), chunkA);
        assertThatThrownBy(() -> vault.open(SyncPath.of("big.bin"), 0).readAllBytes())
                .isInstanceOf(DecryptionException.class).hasMessageContaining("big.bin");
        assertThatThrownBy(() -> vault.open(SyncPath.of("other.bin"), 0).readAllBytes())
                .isInstanceOf(DecryptionException.class).hasMessageContaining("other.bin");
    }

    @Test
    void chunksReorderedInsideAFileFail() throws IOException {
        Path a = storedFile("big.bin");
        byte[] c0 = slice(a, ContentFormat.chunkOffset(0), ContentFormat.CHUNK_SIZE);
        byte[] c1 = slice(a, ContentFormat.chunkOffset(1), ContentFormat.CHUNK_SIZE);
        write(a, ContentFormat.chunkOffset(0), c1);
        write(a, ContentFormat.chunkOffset(1), c0);
        assertThatThrownBy(() -> vault.open(SyncPath.of("big.bin"), 0).read())
                .isInstanceOf(DecryptionException.class).hasMessageContaining("chunk 0");
    }

    @Test
    void aWrongPasswordFailsOnNamesAndContentAndNeverLeaksThePassword() throws IOException {
        try (SyncTarget wrong = SyncTargets.load().open("crypt:" + store,
                Map.of("password", TestSecrets.secret("not the password"), "password2", TestSecrets.secret("tests")))) {
            Listings.Result listed = Listings.collect(wrong, SyncPath.ROOT);
            assertThat(listed.entries()).isEmpty();
            assertThat(listed.notices(ListingNotice.Reason.UNREADABLE)).hasSize(3)
                    .allSatisfy(n -> assertThat(n.detail()).contains("not an encrypted name")
                            .doesNotContain(TestSecrets.MARKER));
            assertThat(wrong.toString()).doesNotContain(TestSecrets.MARKER);
        }
        // Same names (no name encryption), another password: the content fails.
        Path plainNames = Files.createDirectories(tmp.resolve("plain-names"));
        try (SyncTarget right = SyncTargets.load().open("crypt:" + plainNames,
                Map.of("password", TestSecrets.secret("right"), "filename_encryption", "off"))) {
            right.write(SyncPath.of("a.txt"), new ByteArrayInputStream(big), WriteHints.ofSize(big.length));
        }
        try (SyncTarget wrong = SyncTargets.load().open("crypt:" + plainNames,
                Map.of("password", TestSecrets.secret("wrong"), "filename_encryption", "off"))) {
            assertThatThrownBy(() -> wrong.open(SyncPath.of("a.txt"), 0).read())
                    .isInstanceOf(DecryptionException.class).hasMessageContaining("a.txt")
                    .hasMessageContaining("wrong password").hasMessageNotContaining(TestSecrets.MARKER);
        }
    }

    @Test
    void aForeignFileIsAnErrorNamingItAndTheRestIsListed() throws IOException {
        Files.writeString(store.resolve("README.txt"), "put here by hand");
        Listings.Result listed = Listings.collect(vault, SyncPath.ROOT);
        assertThat(listed.names()).containsExactlyInAnyOrder("big.bin", "other.bin", "small.txt");
        assertThat(listed.notices(ListingNotice.Reason.UNREADABLE)).singleElement()
                .satisfies(n -> assertThat(n.location()).isEqualTo("README.txt"));
    }

    @Test
    void aSyncGoesOnWithTheOtherFilesAndLeavesNoPartOfTheBadOne() throws IOException {
        flipByte(storedFile("big.bin"), ContentFormat.chunkOffset(2) + 7);
        Path out = Files.createDirectories(tmp.resolve("out"));
        SyncReport report;
        try (SyncTarget dest = SyncTargets.load().open(out.toString())) {
            report = Sync.between(vault, dest, SyncOptions.builder().mode(SyncMode.COPY).build()).run();
        }
        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("big.bin");
            assertThat(f.message()).contains("failed authentication");
            assertThat(f.retryable()).isFalse();
        });
        assertThat(Files.readAllBytes(out.resolve("other.bin"))).isEqualTo(other);
        assertThat(Files.readString(out.resolve("small.txt"))).isEqualTo("fine");
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("other.bin", "small.txt");
        }
    }

    @Test
    void aNameTooLongOnceEncryptedIsRefusedBeforeAnyByteIsWritten() throws IOException {
        String name = "n".repeat(200); // 200 bytes fit a 255-byte store; encrypted they do not
        assertThatThrownBy(() -> vault.write(SyncPath.of(name), new ByteArrayInputStream(new byte[] {1}),
                WriteHints.ofSize(1))).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining(name).hasMessageContaining("too long once encrypted");
        assertThat(vault.capabilities().maxNameLength()).isEqualTo(143);
        try (Stream<Path> s = Files.walk(store)) {
            assertThat(s.filter(Files::isRegularFile).count()).isEqualTo(3);
        }
    }

    private void put(String path, byte[] data) throws IOException {
        vault.write(SyncPath.of(path), new ByteArrayInputStream(data), WriteHints.ofSize(data.length));
    }

    private Path storedFile(String plain) {
        return store.resolve(((CryptTarget) vault).vault().storedFile(SyncPath.of(plain)).toString());
    }

    private static void flipByte(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
    }

    private static byte[] slice(Path file, long at, int len) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[len];
            f.seek(at);
            f.readFully(b);
            return b;
        }
    }

    private static void write(Path file, long at, byte[] data) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            f.write(data);
        }
    }
}
