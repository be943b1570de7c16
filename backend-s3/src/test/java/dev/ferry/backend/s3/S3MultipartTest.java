package dev.ferry.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** Uploads around the multipart cutoff (5 MiB here, the smallest part S3 allows), and failed uploads. */
class S3MultipartTest {

    private static final int CUTOFF = 5 << 20;
    private static final Instant MTIME = Instant.parse("2021-03-04T05:06:07.123456789Z");

    private SyncTarget target;
    private S3Target s3;
    private S3Client raw;

    @BeforeEach
    void open() throws IOException {
        target = S3ProxyServer.get().newTarget("multipart", Map.of("multipartCutoff", "5M", "partSize", "5M",
                "uploadConcurrency", "3", "copyCutoff", "5M"));
        s3 = (S3Target) target;
        raw = S3ProxyServer.get().client();
    }

    @AfterEach
    void close() throws IOException {
        target.close();
        raw.close();
    }

    private HeadObjectResponse head(String path) {
        return raw.headObject(b -> b.bucket(S3ProxyServer.BUCKET).key(s3.key(SyncPath.of(path))));
    }

    private byte[] read(String path) throws IOException {
        try (InputStream in = target.open(SyncPath.of(path), 0)) {
            return in.readAllBytes();
        }
    }

    @Test
    void belowAtAndAboveTheCutoffRoundTripWithRcloneMetadata() throws IOException {
        for (int size : new int[] {CUTOFF - 1, CUTOFF, CUTOFF + 1, 3 * CUTOFF + 12_345}) {
            byte[] data = TestContent.bytes(size, size);
            String md5 = TestContent.hash(HashAlgorithm.MD5, data);
            String name = "f" + size + ".bin";
            WriteHints hints = WriteHints.ofSize(size).withModTime(MTIME).withHash(HashAlgorithm.MD5, md5);
            Entry written = target.write(SyncPath.of(name), new ByteArrayInputStream(data), hints);
            assertThat(written.size()).isEqualTo(size);
            assertThat(written.hash(HashAlgorithm.MD5)).contains(md5);

            HeadObjectResponse h = head(name);
            boolean multipart = size > CUTOFF;
            assertThat(h.eTag()).as("ETag of %d bytes", size).matches(multipart ? "\"?[0-9a-f]{32}-\\d+\"?" : "\"?[0-9a-f]{32}\"?");
            assertThat(h.metadata()).containsEntry("mtime", "1614834367.123456789");
            if (multipart) {
                assertThat(h.metadata()).containsEntry("md5chksum", RcloneMeta.md5Base64(md5));
            }
            Entry stat = target.stat(SyncPath.of(name)).orElseThrow();
            assertThat(stat.modTime()).contains(MTIME);
            assertThat(stat.hash(HashAlgorithm.MD5)).contains(md5);
            assertThat(read(name)).isEqualTo(data);
        }
    }

    @Test
    void aSyncFromDiskGivesMultipartObjectsRclonesMd5(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        // 6 MiB goes through a plain write, 12 MiB through a resumable one (from 8 MiB); both are
        // multipart here, so neither ETag is an MD5: the engine must ask the disk first.
        Map<String, byte[]> files = Map.of("six.bin", TestContent.bytes(61, 6 << 20),
                "twelve.bin", TestContent.bytes(121, 12 << 20), "small.bin", TestContent.bytes(1, 1000));
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            java.nio.file.Files.createDirectories(dir.resolve("src"));
            java.nio.file.Files.write(dir.resolve("src").resolve(f.getKey()), f.getValue());
        }
        try (SyncTarget disk = dev.ferry.core.SyncTargets.load().open(dir.resolve("src").toString())) {
            dev.ferry.core.SyncReport r = dev.ferry.core.Sync.between(disk, target, dev.ferry.core.SyncOptions.builder()
                    .stateDirectory(dir.resolve("state")).build()).run();
            assertThat(r.failures()).isEmpty();
        }
        for (String big : new String[] {"six.bin", "twelve.bin"}) {
            assertThat(head(big).metadata()).as(big)
                    .containsEntry("md5chksum", RcloneMeta.md5Base64(TestContent.hash(HashAlgorithm.MD5, files.get(big))));
            assertThat(target.stat(SyncPath.of(big)).orElseThrow().hash(HashAlgorithm.MD5))
                    .contains(TestContent.hash(HashAlgorithm.MD5, files.get(big)));
        }
        assertThat(head("small.bin").metadata()).as("a single PUT's ETag is its MD5").doesNotContainKey("md5chksum");
    }

    @Test
    void multipartWithoutAnnouncedSizeOrHashNeverTakesTheEtagForAnMd5() throws IOException {
        byte[] data = TestContent.bytes(7, 2 * CUTOFF + 1);
        Entry written = target.write(SyncPath.of("stream.bin"), new ByteArrayInputStream(data), WriteHints.NONE);
        assertThat(written.size()).isEqualTo(data.length);
        // No MD5 was hinted, so none went into md5chksum: the write claims none either (it would
        // cost a pass over every byte for a hash nobody can read back).
        assertThat(written.hash(HashAlgorithm.MD5)).as("the written entry, as stat will say").isEmpty();
        Entry stat = target.stat(SyncPath.of("stream.bin")).orElseThrow();
        assertThat(stat.hash(HashAlgorithm.MD5)).as("a multipart ETag is no MD5").isEmpty();
        assertThat(read("stream.bin")).isEqualTo(data);
    }

    @Test
    void contentNotMatchingTheHintedMd5IsNotPublished() throws IOException {
        // The hint becomes md5chksum when the upload starts: content that does not match it (a
        // source changed since it was hashed) must not be completed under it.
        byte[] data = TestContent.bytes(8, 2 * CUTOFF + 5);
        String otherMd5 = TestContent.hash(HashAlgorithm.MD5, TestContent.bytes(9, 2 * CUTOFF + 5));
        assertThatThrownBy(() -> target.write(SyncPath.of("changed.bin"), new ByteArrayInputStream(data),
                WriteHints.ofSize(data.length).withHash(HashAlgorithm.MD5, otherMd5)))
                .isInstanceOf(dev.ferry.api.TransientSyncException.class).hasMessageContaining(otherMd5);
        assertThat(target.stat(SyncPath.of("changed.bin"))).isEmpty();
        assertThat(raw.listMultipartUploads(b -> b.bucket(S3ProxyServer.BUCKET).prefix(s3.key(SyncPath.of("changed.bin"))))
                .uploads()).as("incomplete uploads").isEmpty();
    }

    @Test
    void aFailedPartLeavesNoObjectAndNoIncompleteUpload() throws IOException {
        long size = 4L * CUTOFF;
        InputStream broken = TestContent.failingAfter(TestContent.stream(3, size), 2L * CUTOFF + 100);
        assertThatThrownBy(() -> target.write(SyncPath.of("broken.bin"), broken, WriteHints.ofSize(size)))
                .isInstanceOf(IOException.class);
        assertThat(target.stat(SyncPath.of("broken.bin"))).isEmpty();
        assertThat(raw.listMultipartUploads(b -> b.bucket(S3ProxyServer.BUCKET).prefix(s3.key(SyncPath.of("broken.bin"))))
                .uploads()).as("incomplete uploads").isEmpty();
    }

    @Test
    void tooLongContentForAnnouncedSizeAbortsTheUpload() throws IOException {
        assertThatThrownBy(() -> target.write(SyncPath.of("long.bin"), TestContent.stream(4, 3L * CUTOFF),
                WriteHints.ofSize(2L * CUTOFF))).isInstanceOf(IOException.class);
        assertThat(target.stat(SyncPath.of("long.bin"))).isEmpty();
        assertThat(raw.listMultipartUploads(b -> b.bucket(S3ProxyServer.BUCKET).prefix(s3.key(SyncPath.of("long.bin"))))
                .uploads()).isEmpty();
    }

    @Test
    void multipartServerSideCopyAndTouchKeepContentAndMetadata() throws IOException {
        byte[] data = TestContent.bytes(9, 2 * CUTOFF + 7);
        String md5 = TestContent.hash(HashAlgorithm.MD5, data);
        target.write(SyncPath.of("src.bin"), new ByteArrayInputStream(data),
                WriteHints.ofSize(data.length).withModTime(MTIME).withHash(HashAlgorithm.MD5, md5));
        Entry copied = s3.copy(SyncPath.of("src.bin"), SyncPath.of("dir/copy.bin"));
        assertThat(copied.size()).isEqualTo(data.length);
        assertThat(copied.modTime()).contains(MTIME);
        assertThat(copied.hash(HashAlgorithm.MD5)).contains(md5);
        assertThat(read("dir/copy.bin")).isEqualTo(data);
        Instant later = MTIME.plusSeconds(86_400);
        Entry touched = s3.setModTime(SyncPath.of("dir/copy.bin"), later);
        assertThat(touched.modTime()).contains(later);
        assertThat(touched.hash(HashAlgorithm.MD5)).contains(md5);
        assertThat(read("dir/copy.bin")).isEqualTo(data);
    }
}
