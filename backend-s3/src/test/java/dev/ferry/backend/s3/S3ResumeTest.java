package dev.ferry.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import dev.ferry.testkit.engine.KilledSync;
import dev.ferry.testkit.TestContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * A 200 MiB upload killed half-way (SIGKILL, in a child JVM) is continued by the next process
 * from the parts S3Proxy holds, and nothing is at the key until it is complete. The multipart
 * cutoff is set to 16M: at the default (200M) this file would go as one PUT, not resumably.
 */
class S3ResumeTest {

    @TempDir
    Path tmp;

    @Test
    void aKilledUploadIsContinuedByTheNextProcess() throws Exception {
        long size = 200L << 20;
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        try (InputStream in = TestContent.stream(42, size); OutputStream out = Files.newOutputStream(src.resolve("video.bin"))) {
            in.transferTo(out);
        }
        S3ProxyServer server = S3ProxyServer.get();
        String prefix = S3ProxyServer.freshPrefix("resume");
        String key = prefix + "/video.bin";
        Map<String, String> options = new HashMap<>(server.credentials()); // endpoint on 127.0.0.1, credentials
        // Files up to the multipart cutoff (200M by default) go as one PUT, which cannot be resumed:
        // 16M (the old default) makes this 200 MiB file a multipart upload, resumable, in 16 MiB parts.
        options.put("multipartCutoff", "16M");
        KilledSync.Location destination = new KilledSync.Location("s3://" + S3ProxyServer.BUCKET + "/" + prefix, options);
        Path state = tmp.resolve("state");

        AtomicBoolean visibleEarly = new AtomicBoolean();
        try (S3Client raw = server.client()) {
            Process child = KilledSync.start(KilledSync.Location.of(src.toString()), destination, state, 40_000_000L,
                    tmp.resolve("child"));
            // What the store holds of the upload: the sizes of the parts it lists.
            java.util.concurrent.atomic.AtomicLong lastSeen = new java.util.concurrent.atomic.AtomicLong();
            KilledSync.killWhen(child, () -> {
                visibleEarly.compareAndSet(false, exists(raw, key));
                try {
                    lastSeen.set(held(raw, key));
                } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                    // S3Proxy's ListParts can fail (400) while a part is being stored: ask again.
                }
                return lastSeen.get();
            }, size / 2, Duration.ofSeconds(60), tmp.resolve("child"));
            long left = held(raw, key);
            assertThat(left).as("parts held after the kill").isBetween(size / 2, size - 1);
            assertThat(exists(raw, key) || visibleEarly.get()).as("nothing at the key before completion").isFalse();

            try (SyncTarget s = SyncTargets.load().open(src.toString());
                    SyncTarget d = destination.open()) {
                SyncReport r = Sync.between(s, d, SyncOptions.builder().stateDirectory(state).build()).run();
                assertThat(r.failures()).isEmpty();
                System.out.printf("resume after kill: first process left %d MiB in parts, second sent %d MiB of %d (%.0f%%)%n",
                        left >> 20, r.bytesCopied() >> 20, size >> 20, 100.0 * r.bytesCopied() / size);
                assertThat(r.bytesCopied()).as("sent the second time").isLessThanOrEqualTo((long) (size * 0.6));
                try (InputStream in = d.open(dev.ferry.api.SyncPath.of("video.bin"), 0);
                        InputStream orig = Files.newInputStream(src.resolve("video.bin"))) {
                    assertThat(TestContent.sha256(in)).isEqualTo(TestContent.sha256(orig));
                }
            }
            assertThat(uploads(raw, prefix + "/")).as("incomplete uploads left").isEmpty();
            assertThat(state.resolve("transfers")).isEmptyDirectory();
        }
    }

    private static List<MultipartUpload> uploads(S3Client raw, String prefix) {
        return raw.listMultipartUploads(b -> b.bucket(S3ProxyServer.BUCKET).prefix(prefix)).uploads();
    }

    private static long held(S3Client raw, String key) {
        long total = 0;
        for (MultipartUpload u : uploads(raw, key)) {
            total += raw.listParts(b -> b.bucket(S3ProxyServer.BUCKET).key(key).uploadId(u.uploadId())).parts().stream()
                    .mapToLong(Part::size).sum();
        }
        return total;
    }

    private static boolean exists(S3Client raw, String key) {
        return !raw.listObjectsV2(b -> b.bucket(S3ProxyServer.BUCKET).prefix(key)).contents().isEmpty();
    }

    static void unused() throws IOException {}
}
