package dev.ferry.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.api.TransientSyncException;
import dev.ferry.api.WantsHashes;
import dev.ferry.api.WriteHints;
import dev.ferry.core.RetryPolicy;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import dev.ferry.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Files up to the multipart cutoff (200 MiB by default, rclone's) whose MD5 is known before
 * sending go as one PutObject streamed from the source, the MD5 as its Content-MD5: no buffer, no
 * multipart upload, an MD5 ETag. Watched (and damaged) by a {@link FaultProxy} between the SDK
 * and S3Proxy; the target runs with the default options unless a test says otherwise.
 */
class S3StreamedPutTest {

    private static final int MIB = 1 << 20;
    private static final Instant MTIME = Instant.parse("2021-03-04T05:06:07.123456789Z");
    private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(20), 100);

    @TempDir
    Path tmp;

    @RegisterExtension
    final ProxiedS3 s3 = new ProxiedS3("streamed");

    private SyncTarget throughProxy(Map<String, String> extra) throws IOException {
        return s3.open(extra);
    }

    private static boolean isObjectPut(FaultProxy.Request r) {
        return r.method().equals("PUT") && !r.target().contains("uploadId=") && r.header("x-amz-copy-source") == null;
    }

    private static boolean isUploadStart(FaultProxy.Request r) {
        return r.method().equals("POST") && r.target().matches(".*[?&]uploads(=[^&]*)?(&.*)?$");
    }

    /** The requests forwarded to the store for one key. */
    private List<FaultProxy.Forwarded> sentFor(String name) {
        String path = "/" + S3ProxyServer.BUCKET + "/" + s3.prefix + "/" + name;
        return s3.proxy.forwarded().stream().filter(f -> {
            String t = f.request().target();
            int q = t.indexOf('?');
            return (q < 0 ? t : t.substring(0, q)).equals(path);
        }).toList();
    }

    private HeadObjectResponse head(String name) {
        return s3.raw.headObject(b -> b.bucket(S3ProxyServer.BUCKET).key(s3.prefix + "/" + name));
    }

    private boolean visible(String name) {
        return !s3.raw.listObjectsV2(b -> b.bucket(S3ProxyServer.BUCKET).prefix(s3.prefix + "/" + name)).contents().isEmpty();
    }

    private static String md5Base64(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }

    private static String streamMd5(long seed, long size) throws IOException {
        try (InputStream in = TestContent.stream(seed, size)) {
            return TestContent.hash(HashAlgorithm.MD5, in);
        }
    }

    private Path sourceFile(String name, long seed, long size) throws IOException {
        Path dir = tmp.resolve("src");
        Files.createDirectories(dir);
        TestContent.writeFile(dir.resolve(name), seed, size);
        return dir;
    }

    private SyncReport sync(Path src, SyncTarget dst) throws IOException {
        try (SyncTarget s = SyncTargets.load().open(src.toString())) {
            return Sync.between(s, dst, SyncOptions.builder().stateDirectory(tmp.resolve("state")).retry(FAST).build()).run();
        }
    }

    private void assertSameContent(Path file, String name) throws IOException {
        try (InputStream a = Files.newInputStream(file);
                InputStream b = s3.raw.getObject(r -> r.bucket(S3ProxyServer.BUCKET).key(s3.prefix + "/" + name))) {
            assertThat(TestContent.sha256(b)).isEqualTo(TestContent.sha256(a));
        }
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void aFortyMibFileFromDiskGoesAsOneStreamedPutWithItsMd5() throws IOException {
        long size = 40L * MIB;
        Path src = sourceFile("big.bin", 40, size);
        String md5 = streamMd5(40, size);
        SyncReport r;
        try (SyncTarget dst = throughProxy(Map.of())) {
            assertThat(((ResumableWriter) dst).minimumResumableSize()).as("one PUT up to the cutoff: not resumable")
                    .isEqualTo((200L << 20) + 1);
            r = sync(src, dst);
        }
        assertThat(r.failures()).isEmpty();
        assertThat(r.retries()).isZero();
        assertThat(r.bytesCopied()).isEqualTo(size);

        List<FaultProxy.Forwarded> sent = sentFor("big.bin");
        assertThat(sent.stream().filter(f -> isUploadStart(f.request()))).as("CreateMultipartUpload").isEmpty();
        assertThat(sent.stream().filter(f -> f.request().isPartUpload())).as("UploadPart").isEmpty();
        List<FaultProxy.Forwarded> puts = sent.stream().filter(f -> isObjectPut(f.request())).toList();
        assertThat(puts).as("PutObject").hasSize(1);
        FaultProxy.Request put = puts.get(0).request();
        assertThat(put.header("content-md5")).as("the MD5 the engine asked the disk for").isEqualTo(md5Base64(md5))
                .isEqualTo(puts.get(0).bodyMd5());
        assertThat(put.contentLength()).isEqualTo(size);
        assertThat(put.header("x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
        assertThat(put.header("transfer-encoding")).isNull();
        assertThat(put.header("content-encoding")).as("no aws-chunked body").isNull();
        assertThat(put.header("x-amz-meta-mtime")).as("rclone's mtime").isNotNull();

        HeadObjectResponse h = head("big.bin");
        assertThat(h.eTag().replace("\"", "")).as("a single PUT's ETag is its MD5").isEqualTo(md5);
        assertThat(h.metadata()).containsKey("mtime").doesNotContainKey("md5chksum");
        assertSameContent(src.resolve("big.bin"), "big.bin");
        Path transfers = tmp.resolve("state/transfers");
        assertThat(!Files.exists(transfers) || Files.list(transfers).findAny().isEmpty())
                .as("no resumable write journalled").isTrue();
    }

    @Test
    void aStreamedPutHoldsNoCopyOfTheContent() throws IOException {
        long size = 40L * MIB;
        String md5 = streamMd5(41, size);
        try (SyncTarget t = throughProxy(Map.of())) {
            // Warm up the client (connections, classes) so that what is measured is the write.
            t.write(SyncPath.of("warm.bin"), new ByteArrayInputStream(new byte[] {1}), WriteHints.ofSize(1)
                    .withHash(HashAlgorithm.MD5, TestContent.hash(HashAlgorithm.MD5, new byte[] {1})));
            long before = allocatedByThisThread();
            Entry e = t.write(SyncPath.of("streamed.bin"), TestContent.stream(41, size),
                    WriteHints.ofSize(size).withModTime(MTIME).withHash(HashAlgorithm.MD5, md5));
            long streamed = allocatedByThisThread() - before;
            assertThat(e.size()).isEqualTo(size);
            assertThat(e.hash(HashAlgorithm.MD5)).contains(md5);
            assertThat(e.modTime()).contains(MTIME);
            // The measure itself: a buffered PUT (no MD5 known, 12 MiB: under the 16M buffer limit)
            // allocates at least its content.
            long size2 = 12L * MIB;
            before = allocatedByThisThread();
            t.write(SyncPath.of("buffered.bin"), TestContent.stream(42, size2), WriteHints.ofSize(size2));
            long buffered = allocatedByThisThread() - before;
            System.out.printf("allocated by the writing thread: streamed 40 MiB PUT %d KiB, buffered 12 MiB PUT %d KiB%n",
                    streamed >> 10, buffered >> 10);
            assertThat(buffered).as("the buffered PUT, for scale").isGreaterThanOrEqualTo(size2);
            assertThat(streamed).as("bytes allocated to stream 40 MiB").isLessThan(4L * MIB);
        }
        FaultProxy.Request put = sentFor("streamed.bin").stream().map(FaultProxy.Forwarded::request)
                .filter(S3StreamedPutTest::isObjectPut).findFirst().orElseThrow();
        assertThat(put.contentLength()).isEqualTo(size);
        assertThat(put.header("content-md5")).isEqualTo(md5Base64(md5));
        assertThat(sentFor("streamed.bin")).as("one request: the PUT").hasSize(1);
        assertThat(head("streamed.bin").metadata()).containsEntry("mtime", "1614834367.123456789");
        try (InputStream in = s3.raw.getObject(b -> b.bucket(S3ProxyServer.BUCKET).key(s3.prefix + "/streamed.bin"));
                InputStream orig = TestContent.stream(41, size)) {
            assertThat(TestContent.sha256(in)).isEqualTo(TestContent.sha256(orig));
        }
    }

    @Test
    void aByteFlippedOnTheWayIsRefusedAndTheEngineSendsTheFileAgain() throws IOException {
        long size = 20L * MIB; // above the buffer limit and the engine's 8 MiB, below the cutoff
        Path src = sourceFile("flipped.bin", 20, size);
        String md5 = streamMd5(20, size);
        SyncReport r;
        try (SyncTarget dst = throughProxy(Map.of())) {
            s3.proxy.corrupt(1, S3StreamedPutTest::isObjectPut);
            r = sync(src, dst);
        }
        assertThat(r.failures()).isEmpty();
        assertThat(s3.proxy.corruptionsDone()).isEqualTo(1);
        assertThat(r.retries()).as("BadDigest is retried, and counted").isEqualTo(1);
        List<FaultProxy.Forwarded> puts = sentFor("flipped.bin").stream().filter(f -> isObjectPut(f.request())).toList();
        assertThat(puts).as("the damaged PUT and the good one").hasSize(2);
        for (FaultProxy.Forwarded f : puts) {
            assertThat(f.request().header("content-md5")).isEqualTo(md5Base64(md5)).isEqualTo(f.bodyMd5());
        }
        assertThat(sentFor("flipped.bin").stream().filter(f -> isUploadStart(f.request()))).isEmpty();
        assertThat(head("flipped.bin").eTag().replace("\"", "")).isEqualTo(md5);
        assertSameContent(src.resolve("flipped.bin"), "flipped.bin");
    }

    @Test
    void contentThatDoesNotMatchTheHintedMd5IsRefused() throws IOException {
        // A source changed since it was hashed: the store checks the body against the Content-MD5.
        long size = 3L * MIB;
        String other = streamMd5(44, size);
        try (SyncTarget t = throughProxy(Map.of())) {
            assertThatThrownBy(() -> t.write(SyncPath.of("changed.bin"), TestContent.stream(43, size),
                    WriteHints.ofSize(size).withHash(HashAlgorithm.MD5, other)))
                    .isInstanceOf(TransientSyncException.class).hasMessageContaining("BadDigest");
        }
        assertThat(visible("changed.bin")).isFalse();
    }

    @Test
    @Timeout(30) // well below the client's 60 s socket timeout: a short body must not wait for it
    void contentShorterOrLongerThanAnnouncedIsRefusedAndNothingIsPublished() throws IOException {
        long size = 20L * MIB;
        byte[] original = TestContent.bytes(1, 1000);
        try (SyncTarget t = throughProxy(Map.of())) {
            t.write(SyncPath.of("kept.bin"), new ByteArrayInputStream(original), WriteHints.ofSize(original.length));
            String md5 = streamMd5(45, size);
            assertThatThrownBy(() -> t.write(SyncPath.of("kept.bin"), TestContent.stream(45, size - 1),
                    WriteHints.ofSize(size).withHash(HashAlgorithm.MD5, md5)))
                    .isInstanceOf(PermanentSyncException.class).hasMessageContaining("ended after " + (size - 1));
            assertThatThrownBy(() -> t.write(SyncPath.of("kept.bin"), TestContent.stream(45, size + 1),
                    WriteHints.ofSize(size).withHash(HashAlgorithm.MD5, md5)))
                    .isInstanceOf(PermanentSyncException.class).hasMessageContaining("longer than the " + size);
            // The same with the MD5 of the longer content's first `size` bytes: still refused.
            assertThatThrownBy(() -> t.write(SyncPath.of("kept.bin"), TestContent.stream(45, size + 10),
                    WriteHints.ofSize(size).withHash(HashAlgorithm.MD5, md5)))
                    .isInstanceOf(PermanentSyncException.class);
            // A failure of the source itself reaches the caller as it was thrown.
            assertThatThrownBy(() -> t.write(SyncPath.of("kept.bin"),
                    TestContent.failingAfter(TestContent.stream(45, size), 5L * MIB),
                    WriteHints.ofSize(size).withHash(HashAlgorithm.MD5, md5)))
                    .isInstanceOf(IOException.class).hasMessageContaining("injected failure of the source");
            try (InputStream in = t.open(SyncPath.of("kept.bin"), 0)) {
                assertThat(in.readAllBytes()).as("the object as it was").isEqualTo(original);
            }
        }
        assertThat(sentFor("kept.bin").stream().filter(f -> isObjectPut(f.request())))
                .as("only the first PUT reached the store whole").hasSize(1);
    }

    @Test
    void aStreamedPutHonoursPreconditions() throws Exception {
        // Straight to S3Proxy: the FaultProxy assumes a request's body always follows its head,
        // which an early 412 to an Expect: 100-continue request breaks. Small bodies: after an
        // early 412 to a 100 KB one, S3Proxy closes the connection without saying so, and the
        // next request on it may fail with a broken pipe (a buffered PUT as much as a streamed one).
        // conditionalWrites=true: the store settles the precondition, so the write stays one
        // streamed PUT with If-None-Match / If-Match (without it the target reads the content
        // first and checks with a HEAD: S3PreconditionRaceTest).
        try (SyncTarget t = S3ProxyServer.get().newTarget("streamed-cond", Map.of("conditionalWrites", "true"))) {
            SyncPath p = SyncPath.of("cond.bin");
            byte[] a = TestContent.bytes(46, 1000);
            byte[] b = TestContent.bytes(47, 1000);
            WriteHints ha = WriteHints.ofSize(a.length).withHash(HashAlgorithm.MD5, TestContent.hash(HashAlgorithm.MD5, a));
            WriteHints hb = WriteHints.ofSize(b.length).withHash(HashAlgorithm.MD5, TestContent.hash(HashAlgorithm.MD5, b));
            Entry first = asTheEngineWould(() -> t.write(p, new ByteArrayInputStream(a), ha.withPrecondition(WriteHints.Precondition.absent())));
            assertThatThrownBy(() -> asTheEngineWould(() -> t.write(p, new ByteArrayInputStream(b), hb.withPrecondition(WriteHints.Precondition.absent()))))
                    .isInstanceOf(PreconditionFailedException.class);
            Entry second = asTheEngineWould(() -> t.write(p, new ByteArrayInputStream(b),
                    hb.withPrecondition(WriteHints.Precondition.version(first.version().orElseThrow()))));
            assertThatThrownBy(() -> asTheEngineWould(() -> t.write(p, new ByteArrayInputStream(a),
                    ha.withPrecondition(WriteHints.Precondition.version(first.version().orElseThrow())))))
                    .isInstanceOf(PreconditionFailedException.class);
            try (InputStream in = t.open(p, 0)) {
                assertThat(in.readAllBytes()).isEqualTo(b);
            }
            assertThat(second.version()).isNotEqualTo(first.version());
        }
    }

    /**
     * One write, tried again once on a transient failure, as the engine's retry does: after an
     * early 412, S3Proxy closes the connection without saying so, and the next request on it may
     * fail with a broken pipe (seen under load). A precondition failure is never retried.
     */
    private static Entry asTheEngineWould(java.util.concurrent.Callable<Entry> write) throws Exception {
        try {
            return write.call();
        } catch (dev.ferry.api.TransientSyncException e) {
            return write.call();
        }
    }

    @Test
    void aConnectionClosedAsThePutArrivesIsSentAgainWithTheWholeBodyNeverTheRest() throws IOException {
        // What a dead pooled keep-alive connection gives: closed as the request's head arrives.
        // Apache HttpClient takes that for "no 100 Continue yet" and sends the body into the
        // closed connection. A small body is all taken before the failure shows (on the flush):
        // the SDK sends the request again, and the body goes again from its start, from the
        // head kept for that. A large one fails while being sent, which the SDK leaves to the
        // engine (or, had it failed before the body, is sent again unread). Either way the store
        // gets whole bodies only, and the small file never costs an engine retry.
        // bufferLimit 0: the small file is streamed too (its MD5 asked of the disk).
        Path src = sourceFile("small.bin", 53, 1000);
        sourceFile("big.bin", 54, 20L * MIB);
        SyncReport r;
        try (SyncTarget dst = throughProxy(Map.of("bufferLimit", "0"))) {
            s3.proxy.closeOnHead(2, S3StreamedPutTest::isObjectPut);
            r = sync(src, dst);
        }
        System.out.printf("connections closed on the PUT's head: %d, engine retries: %d%n", s3.proxy.closesDone(), r.retries());
        assertThat(r.failures()).isEmpty();
        assertThat(s3.proxy.closesDone()).isEqualTo(2);
        assertThat(r.retries()).as("the large file's, at most").isLessThanOrEqualTo(1);
        for (String name : new String[] {"small.bin", "big.bin"}) {
            List<FaultProxy.Forwarded> puts = sentFor(name).stream().filter(f -> isObjectPut(f.request())).toList();
            assertThat(puts).as(name).hasSize(1);
            String md5 = streamMd5(name.equals("small.bin") ? 53 : 54, name.equals("small.bin") ? 1000 : 20L * MIB);
            assertThat(puts.get(0).bodyMd5()).as("%s: the whole body, from its start", name).isEqualTo(md5Base64(md5));
            assertThat(head(name).eTag().replace("\"", "")).isEqualTo(md5);
            assertSameContent(src.resolve(name), name);
        }
    }

    @Test
    void aConnectionCutInTheMiddleOfTheBodyFailsTheAttemptAndTheEngineSendsTheFileAgain() throws IOException {
        // Part of the body is gone with the connection, and a source stream cannot be read again:
        // the attempt fails to the engine, which reads the source afresh.
        long size = 20L * MIB;
        Path src = sourceFile("cut.bin", 52, size);
        SyncReport r;
        try (SyncTarget dst = throughProxy(Map.of())) {
            s3.proxy.cut(1, 3L * MIB, S3StreamedPutTest::isObjectPut);
            r = sync(src, dst);
        }
        assertThat(r.failures()).isEmpty();
        assertThat(s3.proxy.cutsDone()).isEqualTo(1);
        assertThat(r.retries()).as("the cut is a retry the report shows").isEqualTo(1);
        assertThat(head("cut.bin").eTag().replace("\"", "")).isEqualTo(streamMd5(52, size));
        assertSameContent(src.resolve("cut.bin"), "cut.bin");
    }

    @Test
    void aRetryGetsTheWholeBodyFromItsStartOrNothing() throws IOException {
        int keep = StreamedBody.REPLAYABLE;
        byte[] data = TestContent.bytes(48, 3 * keep);
        // A dead connection found after part of the body went out: sent again from its start, the
        // kept head first, then on from the content.
        StreamedBody body = new StreamedBody(new ByteArrayInputStream(data), data.length, "'x'");
        InputStream first = body.newStream();
        assertThat(first.read(new byte[4096], 0, 4096)).isEqualTo(4096);
        assertThat(body.newStream().readAllBytes()).isEqualTo(data);
        body.checkWhole();
        assertThat(body.failure()).isNull();
        // A small body is kept whole: sent again whatever the first attempt read.
        byte[] small = TestContent.bytes(49, 10_000);
        StreamedBody whole = new StreamedBody(new ByteArrayInputStream(small), small.length, "'x'");
        assertThat(whole.newStream().readAllBytes()).isEqualTo(small);
        assertThat(whole.newStream().readAllBytes()).isEqualTo(small);
        // More than the head taken: no retry can send the body whole, so none is sent at all.
        StreamedBody gone = new StreamedBody(new ByteArrayInputStream(data), data.length, "'x'");
        assertThat(gone.newStream().readNBytes(keep + 1)).hasSize(keep + 1);
        assertThatThrownBy(gone::newStream).isInstanceOf(UncheckedIOException.class);
        assertThat(gone.failure()).isInstanceOf(TransientSyncException.class).hasMessageContaining((keep + 1) + " bytes");

        // Reads stop at the size, and a longer content fails before its last bytes are handed over.
        StreamedBody longer = new StreamedBody(new ByteArrayInputStream(small), small.length - 1, "'x'");
        InputStream in = longer.newStream();
        byte[] buf = new byte[small.length];
        assertThat(in.read(buf, 0, 100)).isEqualTo(100);
        assertThatThrownBy(() -> in.read(buf, 100, buf.length - 100)).isInstanceOf(PermanentSyncException.class);
        assertThat(longer.delivered()).isEqualTo(100);
        assertThat(longer.failure()).isInstanceOf(PermanentSyncException.class);
        assertThatThrownBy(longer::newStream).as("a failed body is not sent again").isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void withoutAnMd5AboveTheBufferLimitAWriteGoesInPartsWithBoundedMemory() throws IOException {
        long size = 40L * MIB;
        try (SyncTarget t = throughProxy(Map.of("uploadConcurrency", "1"))) {
            WantsHashes wants = (WantsHashes) t;
            assertThat(wants.hashesWanted(16L * MIB)).as("buffered and hashed by the target").isEmpty();
            assertThat(wants.hashesWanted(16L * MIB + 1)).as("the streamed PUT's Content-MD5").containsExactly(HashAlgorithm.MD5);
            assertThat(wants.hashesWanted(300L * MIB)).as("the multipart upload's md5chksum").containsExactly(HashAlgorithm.MD5);

            t.write(SyncPath.of("warm.bin"), new ByteArrayInputStream(new byte[] {1}), WriteHints.ofSize(1));
            long before = allocatedByThisThread();
            Entry sized = t.write(SyncPath.of("sized.bin"), TestContent.stream(49, size), WriteHints.ofSize(size));
            long allocated = allocatedByThisThread() - before;
            System.out.printf("allocated by the writing thread: 40 MiB in parts without an MD5 %d KiB%n", allocated >> 10);
            assertThat(sized.size()).isEqualTo(size);
            // One 16 MiB part buffer from the pool (uploadConcurrency 1), reused: never the whole content.
            assertThat(allocated).isLessThan(24L * MIB);
            Entry unsized = t.write(SyncPath.of("unsized.bin"), TestContent.stream(49, size), WriteHints.NONE);
            assertThat(unsized.size()).isEqualTo(size);
            Entry atLimit = t.write(SyncPath.of("at-limit.bin"), TestContent.stream(50, 16L * MIB),
                    WriteHints.ofSize(16L * MIB));
            assertThat(atLimit.hash(HashAlgorithm.MD5)).contains(streamMd5(50, 16L * MIB));
        }
        for (String name : new String[] {"sized.bin", "unsized.bin"}) {
            List<FaultProxy.Forwarded> sent = sentFor(name);
            assertThat(sent.stream().filter(f -> isUploadStart(f.request()))).as(name).hasSize(1);
            assertThat(sent.stream().filter(f -> f.request().isPartUpload()).map(f -> f.request().contentLength()))
                    .as(name).containsExactly(16L * MIB, 16L * MIB, 8L * MIB);
            assertThat(sent.stream().filter(f -> isObjectPut(f.request()))).as(name).isEmpty();
            assertThat(head(name).eTag()).as(name).matches("\"?[0-9a-f]{32}-3\"?");
        }
        assertThat(sentFor("at-limit.bin").stream().filter(f -> isObjectPut(f.request()))).as("buffered: one PUT").hasSize(1);
        assertThat(head("at-limit.bin").eTag().replace("\"", "")).isEqualTo(streamMd5(50, 16L * MIB));
    }
}
