package dev.ferry.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.DescribedReader;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.testkit.Listings;
import dev.ferry.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link DescribedReader}: one GET gives the content and the file as {@code stat} (a HEAD) gives
 * it; and listings leave the time out by default, as the capabilities say.
 */
class S3DescribedReadTest {

    private static final int CUTOFF = 5 << 20;
    private static final Instant MTIME = Instant.parse("2022-05-06T07:08:09.987654321Z");

    private SyncTarget target;
    private S3Target s3;

    @BeforeEach
    void open() throws IOException {
        target = S3ProxyServer.get().newTarget("described", Map.of("multipartCutoff", "5M", "partSize", "5M"));
        s3 = (S3Target) target;
    }

    @AfterEach
    void close() throws IOException {
        target.close();
    }

    private void assertDescribedAsStatted(String name, byte[] data) throws IOException {
        SyncPath p = SyncPath.of(name);
        Entry stat = target.stat(p).orElseThrow();
        for (long offset : new long[] {0, 1, 1000, data.length - 1, data.length, data.length + 10L}) {
            try (DescribedReader.Read r = s3.openDescribed(p, offset)) {
                assertThat(r.entry()).as("%s from %d", name, offset).isEqualTo(stat);
                assertThat(r.entry().size()).as("the whole size, not what is left").isEqualTo(data.length);
                int from = (int) Math.min(offset, data.length);
                assertThat(r.content().readAllBytes()).as("%s from %d", name, offset)
                        .isEqualTo(Arrays.copyOfRange(data, from, data.length));
            }
        }
    }

    @Test
    void aSinglePartObjectIsDescribedAsStatDescribesIt() throws IOException {
        byte[] data = TestContent.bytes(21, 300_001);
        target.write(SyncPath.of("single.bin"), new ByteArrayInputStream(data), WriteHints.ofSize(data.length).withModTime(MTIME));
        Entry stat = target.stat(SyncPath.of("single.bin")).orElseThrow();
        assertThat(stat.modTime()).contains(MTIME);
        assertThat(stat.hash(HashAlgorithm.MD5)).as("the ETag").contains(TestContent.hash(HashAlgorithm.MD5, data));
        assertDescribedAsStatted("single.bin", data);
    }

    @Test
    void aMultipartObjectIsDescribedAsStatDescribesIt() throws IOException {
        byte[] data = TestContent.bytes(22, 2 * CUTOFF + 4321);
        String md5 = TestContent.hash(HashAlgorithm.MD5, data);
        target.write(SyncPath.of("dir/multi.bin"), new ByteArrayInputStream(data),
                WriteHints.ofSize(data.length).withModTime(MTIME).withHash(HashAlgorithm.MD5, md5));
        Entry stat = target.stat(SyncPath.of("dir/multi.bin")).orElseThrow();
        assertThat(stat.version().orElseThrow()).as("a multipart ETag").contains("-");
        assertThat(stat.hash(HashAlgorithm.MD5)).as("md5chksum").contains(md5);
        assertDescribedAsStatted("dir/multi.bin", data);
    }

    @Test
    void anObjectWithoutRcloneMetadataIsDescribedByItsUploadTime() throws IOException {
        byte[] data = TestContent.bytes(23, 5000);
        try (S3Client raw = S3ProxyServer.get().client()) {
            raw.putObject(b -> b.bucket(S3ProxyServer.BUCKET).key(s3.key(SyncPath.of("foreign.bin"))), RequestBody.fromBytes(data));
        }
        assertThat(target.stat(SyncPath.of("foreign.bin")).orElseThrow().modTime()).isPresent();
        assertDescribedAsStatted("foreign.bin", data);
    }

    @Test
    void aMissingFileIsNotFound() {
        assertThatThrownBy(() -> s3.openDescribed(SyncPath.of("nothing.bin"), 0)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> s3.openDescribed(SyncPath.of("nothing.bin"), 10)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void listingsLeaveTheTimeOutUnlessAsked() throws IOException {
        byte[] data = TestContent.bytes(24, 10);
        target.write(SyncPath.of("t.bin"), new ByteArrayInputStream(data), WriteHints.ofSize(data.length).withModTime(MTIME));
        assertThat(target.capabilities().listsModTimes()).isFalse();
        assertThat(Listings.collect(target, SyncPath.ROOT).entry("t.bin").orElseThrow().modTime()).isEmpty();
        try (SyncTarget timed = S3ProxyServer.get().newTarget("described-timed", Map.of("listModTimes", "true"))) {
            timed.write(SyncPath.of("t.bin"), new ByteArrayInputStream(data), WriteHints.ofSize(data.length).withModTime(MTIME));
            assertThat(timed.capabilities().listsModTimes()).isTrue();
            assertThat(Listings.collect(timed, SyncPath.ROOT).entry("t.bin").orElseThrow().modTime()).contains(MTIME);
        }
    }
}
