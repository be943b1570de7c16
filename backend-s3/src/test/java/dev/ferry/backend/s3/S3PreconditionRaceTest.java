package dev.ferry.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.ResumableWriter.PartialWrite;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import dev.ferry.api.WriteHints.Precondition;
import dev.ferry.testkit.Listings;
import dev.ferry.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The write-path race of a two-way run, driven deterministically against S3Proxy: the content
 * given to a write changes the destination through a second client once half of it has been
 * read (as a user saving the file while Ferry uploads the new version). Every write path must
 * then fail with {@link PreconditionFailedException} and leave the user's bytes at the path,
 * with nothing else visible and no upload left behind; the same write without the edit goes
 * through.
 *
 * <p>S3Proxy 2.9.0 checks {@code If-Match}/{@code If-None-Match} on PutObject only when the
 * request arrives (before the body), and not at all on CompleteMultipartUpload, so by default
 * (conditionalWrites off for non-AWS endpoints) the target checks with a HEAD immediately before
 * the publishing request, having read the content first.
 */
class S3PreconditionRaceTest {

    private static final int MIB = 1 << 20;

    private S3Client raw;
    private final java.util.List<S3Target> targets = new java.util.ArrayList<>();

    @BeforeEach
    void open() {
        raw = S3ProxyServer.get().client();
    }

    @AfterEach
    void close() throws IOException {
        for (S3Target t : targets) {
            t.close();
        }
        raw.close();
    }

    private S3Target target(String label, Map<String, String> options) throws IOException {
        S3Target t = (S3Target) S3ProxyServer.get().newTarget(label, options);
        targets.add(t);
        return t;
    }

    /** What the user writes, through another client, while the content is read. */
    private void userWrites(S3Target t, String path, byte[] bytes) {
        raw.putObject(b -> b.bucket(S3ProxyServer.BUCKET).key(t.key(SyncPath.of(path))), RequestBody.fromBytes(bytes));
    }

    private static byte[] read(S3Target t, String path) throws IOException {
        try (InputStream in = t.open(SyncPath.of(path), 0)) {
            return in.readAllBytes();
        }
    }

    private Entry listed(S3Target t, String name) throws IOException {
        return Listings.collect(t, SyncPath.ROOT).entry(name).orElseThrow();
    }

    private void assertUserKept(S3Target t, String path, byte[] user) throws IOException {
        assertThat(read(t, path)).as("the user's bytes are at the path").isEqualTo(user);
        assertThat(Listings.collect(t, SyncPath.ROOT).names()).as("nothing else visible").containsExactly(path);
        assertThat(raw.listMultipartUploads(b -> b.bucket(S3ProxyServer.BUCKET).prefix(t.key(SyncPath.of(path))))
                .uploads()).as("no upload left behind").isEmpty();
    }

    private static WriteHints hints(byte[] data, boolean withMd5) {
        WriteHints h = WriteHints.ofSize(data.length);
        return withMd5 ? h.withHash(HashAlgorithm.MD5, TestContent.hash(HashAlgorithm.MD5, data)) : h;
    }

    /** Writes {@code ours} over a listed file while the user replaces it; then the same without the user. */
    private void unchangedRace(Map<String, String> options, int size, boolean withMd5) throws IOException {
        S3Target t = target("race", options);
        byte[] old = TestContent.bytes(61, 1000);
        byte[] ours = TestContent.bytes(62, size);
        byte[] user = TestContent.bytes(63, 2000);
        t.write(SyncPath.of("x.bin"), new ByteArrayInputStream(old), WriteHints.ofSize(old.length));
        WriteHints h = hints(ours, withMd5).withPrecondition(Precondition.unchanged(listed(t, "x.bin")));
        assertThatThrownBy(() -> t.write(SyncPath.of("x.bin"), TestContent.halfwayThen(ours, () -> userWrites(t, "x.bin", user)), h))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("x.bin")
                .hasMessageContaining("kept");
        assertUserKept(t, "x.bin", user);

        // The precondition holds: the write goes through as before.
        WriteHints still = hints(ours, withMd5).withPrecondition(Precondition.unchanged(listed(t, "x.bin")));
        Entry e = t.write(SyncPath.of("x.bin"), new ByteArrayInputStream(ours), still);
        assertThat(e.size()).isEqualTo(size);
        assertThat(read(t, "x.bin")).isEqualTo(ours);
    }

    @Test
    void aWriteThatWouldBeStreamedSeesAnEditMadeWhileItsContentIsRead() throws IOException {
        // An MD5 in the hints: one streamed PUT without a precondition. S3Proxy checks If-Match
        // as the PUT arrives, before the body the user's edit overtakes.
        unchangedRace(Map.of(), MIB, true);
    }

    @Test
    void aStreamedSizeAboveTheBufferLimitSeesTheEditToo() throws IOException {
        unchangedRace(Map.of("bufferLimit", "0"), MIB, true);
    }

    @Test
    void aBufferedPutSeesAnEditMadeWhileItsContentIsRead() throws IOException {
        unchangedRace(Map.of(), 1000, false);
    }

    @Test
    void aMultipartUploadSeesAnEditMadeWhileItsPartsAreSent() throws IOException {
        // S3Proxy ignores If-Match on CompleteMultipartUpload.
        unchangedRace(Map.of("multipartCutoff", "5M", "partSize", "5M"), 12 * MIB, false);
    }

    @Test
    void aMultipartUploadWithAnMd5SeesTheEditToo() throws IOException {
        unchangedRace(Map.of("multipartCutoff", "5M", "partSize", "5M"), 12 * MIB, true);
    }

    /** A file created at the path while a create-only write reads its content. */
    private void absentRace(Map<String, String> options, int size, boolean withMd5) throws IOException {
        S3Target t = target("absent", options);
        byte[] ours = TestContent.bytes(64, size);
        byte[] user = TestContent.bytes(65, 3000);
        WriteHints h = hints(ours, withMd5).withPrecondition(Precondition.absent());
        assertThatThrownBy(() -> t.write(SyncPath.of("new.bin"), TestContent.halfwayThen(ours, () -> userWrites(t, "new.bin", user)), h))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("new.bin");
        assertUserKept(t, "new.bin", user);

        Entry e = t.write(SyncPath.of("other.bin"), new ByteArrayInputStream(ours), h);
        assertThat(e.size()).isEqualTo(size);
        assertThat(read(t, "other.bin")).isEqualTo(ours);
    }

    @Test
    void aCreateOnlyWriteNeverReplacesAFileThatAppearedWhileItsContentWasRead() throws IOException {
        absentRace(Map.of(), MIB, true);
        absentRace(Map.of(), 1000, false);
    }

    @Test
    void aCreateOnlyMultipartUploadNeverReplacesAFileThatAppearedMeanwhile() throws IOException {
        absentRace(Map.of("multipartCutoff", "5M", "partSize", "5M"), 12 * MIB, false);
    }

    @Test
    void aResumableWriteChecksAtCompletion() throws IOException {
        Map<String, String> options = Map.of("multipartCutoff", "5M", "partSize", "5M");
        S3Target t = target("resumable-race", options);
        byte[] old = TestContent.bytes(66, 1000);
        byte[] ours = TestContent.bytes(67, 12 * MIB);
        byte[] user = TestContent.bytes(68, 2000);
        t.write(SyncPath.of("big.bin"), new ByteArrayInputStream(old), WriteHints.ofSize(old.length));
        WriteHints h = hints(ours, true).withPrecondition(Precondition.unchanged(listed(t, "big.bin")));
        PartialWrite w = t.begin(SyncPath.of("big.bin"), h);
        w.append(TestContent.halfwayThen(ours, () -> userWrites(t, "big.bin", user)));
        assertThatThrownBy(w::complete).isInstanceOf(PreconditionFailedException.class).hasMessageContaining("big.bin");
        w.abort();
        assertUserKept(t, "big.bin", user);

        PartialWrite again = t.begin(SyncPath.of("big.bin"),
                hints(ours, true).withPrecondition(Precondition.unchanged(listed(t, "big.bin"))));
        again.append(new ByteArrayInputStream(ours));
        assertThat(again.complete().size()).isEqualTo(ours.length);
        assertThat(read(t, "big.bin")).isEqualTo(ours);

        // A small "resumable" write is buffered and put on completion: the same check.
        byte[] small = TestContent.bytes(69, 1000);
        PartialWrite buffered = t.begin(SyncPath.of("big.bin"),
                hints(small, false).withPrecondition(Precondition.unchanged(listed(t, "big.bin"))));
        buffered.append(TestContent.halfwayThen(small, () -> userWrites(t, "big.bin", user)));
        assertThatThrownBy(buffered::complete).isInstanceOf(PreconditionFailedException.class);
        assertUserKept(t, "big.bin", user);
    }

    @Test
    void withConditionalWritesOnTheStoreDecidesAndAStreamedPutStaysOnePut() throws IOException {
        // conditionalWrites=true says the store checks atomically (AWS): no HEAD, no detour.
        // S3Proxy checks as the request arrives, enough to see an edit made before the write.
        Map<String, String> options = new HashMap<>(Map.of("conditionalWrites", "true", "bufferLimit", "0"));
        S3Target t = target("store-decides", options);
        assertThat(t.capabilities().conditionalWrites()).isTrue();
        byte[] old = TestContent.bytes(70, 1000);
        // S3Proxy refuses as the request arrives and closes the connection, so the client may
        // meet a broken pipe instead of the 412: the target then asks what is there (a HEAD) and
        // still reports the refusal as a precondition failure.
        byte[] ours = TestContent.bytes(71, MIB);
        byte[] user = TestContent.bytes(72, 2000);
        t.write(SyncPath.of("x.bin"), new ByteArrayInputStream(old), WriteHints.ofSize(old.length));
        Entry before = listed(t, "x.bin");
        userWrites(t, "x.bin", user);
        assertThatThrownBy(() -> t.write(SyncPath.of("x.bin"), new ByteArrayInputStream(ours),
                hints(ours, true).withPrecondition(Precondition.unchanged(before))))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(read(t, "x.bin")).isEqualTo(user);
        Entry e = t.write(SyncPath.of("x.bin"), new ByteArrayInputStream(ours),
                hints(ours, true).withPrecondition(Precondition.unchanged(listed(t, "x.bin"))));
        assertThat(e.version().orElseThrow().replace("\"", ""))
                .as("one streamed PUT: the ETag is the MD5, not a multipart one")
                .isEqualTo(TestContent.hash(HashAlgorithm.MD5, ours));
        assertThat(read(t, "x.bin")).isEqualTo(ours);
    }
}
