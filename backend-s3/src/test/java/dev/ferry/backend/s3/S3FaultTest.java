package dev.ferry.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.core.RetryPolicy;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import dev.ferry.testkit.TestContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults S3Proxy cannot be made to produce, injected by a {@link FaultProxy} between the SDK and
 * it: a 503 SlowDown storm and a connection cut in the middle of a part. The engine is the one
 * that retries (the SDK's own retries are off but for a dead pooled connection), so every
 * injected fault shows in {@link SyncReport#retries()}; the upload then goes on from the parts
 * already held.
 */
class S3FaultTest {

    private static final int PART = 5 << 20;
    /** Above the engine's 8 MiB, so it goes through the resumable writes. */
    private static final long LARGE = 4L * PART + 777;
    private static final RetryPolicy FAST = new RetryPolicy(6, Duration.ofMillis(1), Duration.ofMillis(20), 100);

    @TempDir
    Path tmp;

    @RegisterExtension
    final ProxiedS3 s3 = new ProxiedS3("fault");

    private SyncTarget throughProxy() throws IOException {
        Map<String, String> m = new HashMap<>();
        m.put("multipartCutoff", "5M");
        m.put("partSize", "5M");
        m.put("uploadConcurrency", "1"); // one part at a time: each fault fails exactly one attempt
        m.put("listModTimes", "false");
        return s3.open(m);
    }

    private Path source(String name, long size) throws IOException {
        Path dir = tmp.resolve("src");
        Files.createDirectories(dir);
        TestContent.writeFile(dir.resolve(name), size, size);
        return dir;
    }

    private SyncReport sync(Path src, SyncTarget dst) throws IOException {
        try (SyncTarget s = SyncTargets.load().open(src.toString())) {
            return Sync.between(s, dst, SyncOptions.builder().stateDirectory(tmp.resolve("state")).retry(FAST).build()).run();
        }
    }

    private void assertIdentical(Path src, String name) throws IOException {
        try (InputStream a = Files.newInputStream(src.resolve(name));
                InputStream b = s3.raw.getObject(r -> r.bucket(S3ProxyServer.BUCKET).key(s3.prefix + "/" + name))) {
            assertThat(TestContent.sha256(b)).isEqualTo(TestContent.sha256(a));
        }
    }

    private void assertNoIncompleteUploads() {
        assertThat(s3.raw.listMultipartUploads(r -> r.bucket(S3ProxyServer.BUCKET).prefix(s3.prefix + "/")).uploads())
                .as("incomplete uploads").isEmpty();
    }

    @Test
    void aSlowDownStormIsRetriedAndCounted() throws IOException {
        Path src = source("small.bin", 300_000);
        try (SyncTarget dst = throughProxy()) {
            s3.proxy.slowDown(3, r -> true); // whatever comes next: the listing, then the upload
            SyncReport r = sync(src, dst);
            assertThat(r.failures()).isEmpty();
            assertThat(s3.proxy.errorsSent()).isEqualTo(3);
            assertThat(r.retries()).as("one retry per 503").isEqualTo(3);
        }
        assertIdentical(src, "small.bin");
    }

    /**
     * Syncs a file of four and a bit parts through the proxy with a fault armed by {@code arm};
     * checks it arrived whole, with no upload left behind, and returns the report.
     */
    private SyncReport syncLargeFileWith(String name, Runnable arm) throws IOException {
        Path src = source(name, LARGE);
        SyncReport r;
        try (SyncTarget dst = throughProxy()) {
            arm.run();
            r = sync(src, dst);
        }
        assertThat(r.failures()).isEmpty();
        assertIdentical(src, name);
        assertNoIncompleteUploads();
        return r;
    }

    @Test
    void slowDownsOnPartsAreRetriedFromThePartsHeld() throws IOException {
        SyncReport r = syncLargeFileWith("big.bin", () -> s3.proxy.slowDown(2, q -> q.isPartUpload() && q.partNumber() == 3));
        assertThat(s3.proxy.errorsSent()).isEqualTo(2);
        assertThat(r.retries()).isEqualTo(2);
        assertThat(r.bytesCopied()).as("the last attempt sent parts 3 to 5 only").isEqualTo(LARGE - 2L * PART);
    }

    @Test
    void aConnectionCutInThePartsBodyIsRetriedAndTheUploadCompletes() throws IOException {
        SyncReport r = syncLargeFileWith("cut.bin", () -> s3.proxy.cut(1, 1 << 20, q -> q.isPartUpload() && q.partNumber() == 2));
        assertThat(s3.proxy.cutsDone()).isEqualTo(1);
        assertThat(r.retries()).as("the cut is a retry the report shows").isEqualTo(1);
        assertThat(r.bytesCopied()).as("the last attempt sent parts 2 to 5 only").isEqualTo(LARGE - PART);
    }

    @Test
    void aPermanentFailureInTheMiddleOfAnUploadLeavesNothingBehind() throws IOException {
        Path src = source("denied.bin", LARGE);
        try (SyncTarget dst = throughProxy()) {
            s3.proxy.fail(1, 403, "AccessDenied", r -> r.isPartUpload() && r.partNumber() == 3);
            SyncReport r = sync(src, dst);
            assertThat(r.failures()).hasSize(1);
            assertThat(r.retries()).as("a refusal is not retried").isZero();
            assertThat(dst.stat(SyncPath.of("denied.bin"))).isEmpty();
        }
        assertNoIncompleteUploads();
        assertThat(tmp.resolve("state/transfers")).isEmptyDirectory();
    }
}
