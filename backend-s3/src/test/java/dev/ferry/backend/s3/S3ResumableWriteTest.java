package dev.ferry.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.ResumableWriter.PartialWrite;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Resumable writes as multipart uploads that outlive the writer: a second target (standing for
 * the next process) continues from the parts the store holds, and nothing is at the key before
 * completion. Also the sweep of abandoned uploads.
 */
class S3ResumableWriteTest {

    private static final int PART = 5 << 20;
    private static final Instant MTIME = Instant.parse("2021-03-04T05:06:07.123456789Z");
    private static final Map<String, String> OPTIONS = Map.of("multipartCutoff", "5M", "partSize", "5M",
            "uploadConcurrency", "3");

    private SyncTarget target;
    private S3Target s3;
    private S3Client raw;

    @BeforeEach
    void open() throws IOException {
        target = S3ProxyServer.get().newTarget("resumable", OPTIONS);
        s3 = (S3Target) target;
        raw = S3ProxyServer.get().client();
    }

    @AfterEach
    void close() throws IOException {
        target.close();
        raw.close();
    }

    /** Another target at the same prefix: what a restarted process would open. */
    private S3Target reopen(Map<String, String> extra) throws IOException {
        Map<String, String> m = new java.util.HashMap<>(S3ProxyServer.get().credentials());
        m.putAll(OPTIONS);
        m.putAll(extra);
        String prefix = s3.key(SyncPath.of("x"));
        prefix = prefix.substring(0, prefix.length() - 2);
        return (S3Target) new S3TargetProvider().open(new dev.ferry.api.TargetSpec(
                URI.create("s3://" + S3ProxyServer.BUCKET + "/" + prefix), m));
    }

    private List<MultipartUpload> uploads(String path) {
        return raw.listMultipartUploads(b -> b.bucket(S3ProxyServer.BUCKET).prefix(s3.key(SyncPath.of(path)))).uploads();
    }

    private boolean visible(String path) {
        return !raw.listObjectsV2(b -> b.bucket(S3ProxyServer.BUCKET).prefix(s3.key(SyncPath.of(path)))).contents()
                .isEmpty();
    }

    private byte[] read(SyncTarget t, String path) throws IOException {
        try (InputStream in = t.open(SyncPath.of(path), 0)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aSecondWriterContinuesFromThePartsTheStoreHolds() throws IOException {
        int size = 4 * PART + 12_345;
        byte[] data = TestContent.bytes(11, size);
        String md5 = TestContent.hash(HashAlgorithm.MD5, data);
        WriteHints hints = WriteHints.ofSize(size).withModTime(MTIME).withHash(HashAlgorithm.MD5, md5);
        PartialWrite first = s3.begin(SyncPath.of("big.bin"), hints);
        assertThat(first.token()).startsWith("s3-multipart:").doesNotContain(S3ProxyServer.SECRET_KEY);
        // The first writer dies after two and a half parts.
        assertThatThrownBy(() -> first.append(TestContent.failingAfter(new ByteArrayInputStream(data), 2L * PART + PART / 2)))
                .isInstanceOf(IOException.class);
        assertThat(visible("big.bin")).as("nothing at the key before completion").isFalse();

        try (S3Target next = reopen(Map.of())) {
            PartialWrite w = next.resume(first.token(), hints).orElseThrow();
            assertThat(w.committedBytes()).isEqualTo(2L * PART);
            w.append(new ByteArrayInputStream(data, 2 * PART, size - 2 * PART));
            assertThat(w.committedBytes()).isEqualTo(size);
            assertThat(visible("big.bin")).isFalse();
            Entry e = w.complete();
            assertThat(e.size()).isEqualTo(size);
            assertThat(e.hash(HashAlgorithm.MD5)).contains(md5);
            assertThat(read(next, "big.bin")).isEqualTo(data);
            HeadObjectResponse h = raw.headObject(b -> b.bucket(S3ProxyServer.BUCKET).key(s3.key(SyncPath.of("big.bin"))));
            assertThat(h.metadata()).containsEntry("mtime", "1614834367.123456789")
                    .containsEntry("md5chksum", RcloneMeta.md5Base64(md5));
            assertThat(next.stat(SyncPath.of("big.bin")).orElseThrow().hash(HashAlgorithm.MD5)).contains(md5);
            assertThat(next.resume(first.token(), hints)).as("a completed upload cannot be resumed").isEmpty();
        }
        assertThat(uploads("big.bin")).isEmpty();
    }

    @Test
    void onlyTheContiguousRunOfFullPartsCountsAndTheRestIsSentAgain() throws IOException {
        int size = 5 * PART;
        byte[] data = TestContent.bytes(12, size);
        WriteHints hints = WriteHints.ofSize(size);
        PartialWrite w = s3.begin(SyncPath.of("odd.bin"), hints);
        String key = s3.key(SyncPath.of("odd.bin"));
        String id = w.token().split(":")[2];
        // As a killed writer with parallel parts leaves it: 1, 2 whole, 3 missing, 4 whole, 5 cut short.
        for (int n : new int[] {1, 2, 4}) {
            int part = n;
            raw.uploadPart(b -> b.bucket(S3ProxyServer.BUCKET).key(key).uploadId(id).partNumber(part),
                    RequestBody.fromBytes(java.util.Arrays.copyOfRange(data, (part - 1) * PART, part * PART)));
        }
        raw.uploadPart(b -> b.bucket(S3ProxyServer.BUCKET).key(key).uploadId(id).partNumber(5),
                RequestBody.fromBytes(new byte[1000]));
        PartialWrite again = s3.resume(w.token(), hints).orElseThrow();
        assertThat(again.committedBytes()).isEqualTo(2L * PART);
        assertThatThrownBy(again::complete).as("the store does not hold the whole content")
                .isInstanceOf(PermanentSyncException.class).hasMessageContaining("nothing was published");
        assertThat(visible("odd.bin")).isFalse();
        again.append(new ByteArrayInputStream(data, 2 * PART, 3 * PART));
        again.complete();
        assertThat(read(target, "odd.bin")).isEqualTo(data);
        assertThat(uploads("odd.bin")).isEmpty();
    }

    @Test
    void anAbortedUploadIsGoneAndCannotBeResumed() throws IOException {
        WriteHints hints = WriteHints.ofSize(3L * PART);
        PartialWrite w = s3.begin(SyncPath.of("dropped.bin"), hints);
        assertThatThrownBy(() -> w.append(TestContent.failingAfter(TestContent.stream(13, 3L * PART), PART + 10)))
                .isInstanceOf(IOException.class);
        assertThat(uploads("dropped.bin")).hasSize(1);
        w.abort();
        assertThat(uploads("dropped.bin")).isEmpty();
        assertThat(s3.resume(w.token(), hints)).isEmpty();
        assertThat(s3.resume("not-a-token", hints)).isEmpty();
        assertThat(visible("dropped.bin")).isFalse();
    }

    @Test
    void upToTheCutoffTheContentIsBufferedAndPutOnceOnCompletion() throws IOException {
        int size = PART - 7;
        byte[] data = TestContent.bytes(14, size);
        String md5 = TestContent.hash(HashAlgorithm.MD5, data);
        WriteHints hints = WriteHints.ofSize(size).withModTime(MTIME);
        PartialWrite w = s3.begin(SyncPath.of("small.bin"), hints);
        w.append(new ByteArrayInputStream(data));
        assertThat(uploads("small.bin")).as("no multipart upload for a small file").isEmpty();
        assertThat(visible("small.bin")).isFalse();
        assertThat(s3.resume(w.token(), hints)).as("a buffer does not outlive its process").isEmpty();
        Entry e = w.complete();
        assertThat(e.hash(HashAlgorithm.MD5)).contains(md5);
        HeadObjectResponse h = raw.headObject(b -> b.bucket(S3ProxyServer.BUCKET).key(s3.key(SyncPath.of("small.bin"))));
        assertThat(h.eTag()).as("a single PUT keeps an MD5 ETag").contains(md5);
        assertThat(read(target, "small.bin")).isEqualTo(data);

        PartialWrite shortWrite = s3.begin(SyncPath.of("short.bin"), hints);
        shortWrite.append(new ByteArrayInputStream(data, 0, size - 1));
        assertThatThrownBy(shortWrite::complete).isInstanceOf(PermanentSyncException.class);
        assertThat(visible("short.bin")).isFalse();
    }

    @Test
    void withoutAnAnnouncedSizeTheContentEndsWhereTheAppendEnded() throws IOException {
        byte[] data = TestContent.bytes(16, 2 * PART); // a whole number of parts: no short last part marks the end
        PartialWrite w = s3.begin(SyncPath.of("unsized.bin"), WriteHints.NONE);
        w.append(new ByteArrayInputStream(data));
        assertThat(w.complete().size()).isEqualTo(data.length);
        assertThat(read(target, "unsized.bin")).isEqualTo(data);

        PartialWrite resumed = s3.begin(SyncPath.of("unsized2.bin"), WriteHints.NONE);
        resumed.append(new ByteArrayInputStream(data));
        PartialWrite later = s3.resume(resumed.token(), WriteHints.NONE).orElseThrow();
        assertThat(later.committedBytes()).isEqualTo(data.length);
        assertThatThrownBy(later::complete).as("another writer cannot tell that the content ended there")
                .isInstanceOf(PermanentSyncException.class);
        later.abort();
    }

    @Test
    void theEngineSeesTheAbility() {
        assertThat(target.ability(ResumableWriter.class)).containsSame(s3);
    }

    /**
     * S3Proxy does not keep an upload's initiation time: its ListMultipartUploads reports the
     * time of the listing. So the sweep is run here with a cutoff in the future (every upload
     * counts as old) to prove what it aborts and what it spares; the age rule itself is checked
     * on its own below.
     */
    @Test
    void theSweepAbortsForeignUploadsUnderThePrefixAndSparesThisProcesssOwn() throws Exception {
        String key = s3.key(SyncPath.of("abandoned.bin"));
        raw.createMultipartUpload(b -> b.bucket(S3ProxyServer.BUCKET).key(key));
        String elsewhere = "outside-" + S3ProxyServer.freshPrefix("sweep") + "/x.bin";
        String other = raw.createMultipartUpload(b -> b.bucket(S3ProxyServer.BUCKET).key(elsewhere)).uploadId();
        PartialWrite own = s3.begin(SyncPath.of("own.bin"), WriteHints.ofSize(3L * PART));
        own.append(TestContent.stream(15, PART)); // one part held
        try (S3Target next = reopen(Map.of())) {
            assertThat(next.sweepAbandonedUploads(Instant.now().minus(Duration.ofHours(1)))).as("nothing that old").isZero();
            assertThat(uploads("abandoned.bin")).hasSize(1);
            assertThat(next.sweepAbandonedUploads(Instant.now().plus(Duration.ofMinutes(1)))).isEqualTo(1);
        }
        assertThat(uploads("abandoned.bin")).as("the abandoned upload is aborted").isEmpty();
        assertThat(uploads("own.bin")).as("this process's upload in progress is spared").hasSize(1);
        assertThat(raw.listMultipartUploads(b -> b.bucket(S3ProxyServer.BUCKET).prefix(elsewhere)).uploads())
                .as("outside the prefix: not this target's business").hasSize(1);
        raw.abortMultipartUpload(b -> b.bucket(S3ProxyServer.BUCKET).key(elsewhere).uploadId(other));
        assertThat(s3.resume(own.token(), WriteHints.ofSize(3L * PART))).isPresent();
        own.abort();
    }

    @Test
    void theFirstWriteSweepsUploadsOlderThanTheConfiguredAge() throws Exception {
        String key = s3.key(SyncPath.of("left-behind.bin"));
        raw.createMultipartUpload(b -> b.bucket(S3ProxyServer.BUCKET).key(key));
        try (S3Target next = reopen(Map.of("incompleteUploadMaxAge", "2h"))) {
            // An hour on, the upload (dated "now" by S3Proxy) is younger than 2h: kept.
            next.clock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(1)));
            next.write(SyncPath.of("a.txt"), new ByteArrayInputStream(new byte[] {1}), WriteHints.ofSize(1));
            assertThat(uploads("left-behind.bin")).hasSize(1);
        }
        try (S3Target next = reopen(Map.of("incompleteUploadMaxAge", "2h"))) {
            // Three hours on, it is older: aborted at the first write, once.
            next.clock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(3)));
            next.write(SyncPath.of("b.txt"), new ByteArrayInputStream(new byte[] {2}), WriteHints.ofSize(1));
            assertThat(uploads("left-behind.bin")).isEmpty();
            raw.createMultipartUpload(b -> b.bucket(S3ProxyServer.BUCKET).key(key));
            next.write(SyncPath.of("c.txt"), new ByteArrayInputStream(new byte[] {3}), WriteHints.ofSize(1));
            assertThat(uploads("left-behind.bin")).as("one sweep per target, not one per write").hasSize(1);
        }
        for (MultipartUpload u : uploads("left-behind.bin")) {
            raw.abortMultipartUpload(b -> b.bucket(S3ProxyServer.BUCKET).key(key).uploadId(u.uploadId()));
        }
    }

    @Test
    void anUploadIsAbandonedWhenOlderThanTheCutoffAndNotThisProcesss() throws IOException {
        Instant cutoff = Instant.parse("2026-01-02T00:00:00Z");
        assertThat(S3Target.abandoned(cutoff.minusSeconds(1), "someone-else", cutoff)).isTrue();
        assertThat(S3Target.abandoned(cutoff.plusSeconds(1), "someone-else", cutoff)).isFalse();
        assertThat(S3Target.abandoned(null, "someone-else", cutoff)).as("no date: kept").isFalse();
        PartialWrite own = s3.begin(SyncPath.of("mine.bin"), WriteHints.ofSize(3L * PART));
        String id = java.net.URLDecoder.decode(own.token().split(":")[2], java.nio.charset.StandardCharsets.UTF_8);
        assertThat(S3Target.abandoned(cutoff.minusSeconds(1), id, cutoff)).isFalse();
        own.abort();
        assertThat(S3Target.abandoned(cutoff.minusSeconds(1), id, cutoff)).as("ended: no longer ours").isTrue();
        assertThat(S3TargetProvider.parseOptions(Map.of()).incompleteUploadMaxAge()).isEqualTo(Duration.ofHours(24));
        assertThat(S3TargetProvider.parseOptions(Map.of("incompleteUploadMaxAge", "2h")).incompleteUploadMaxAge())
                .isEqualTo(Duration.ofHours(2));
    }
}
