package dev.ferry.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two prefixes of one S3 endpoint and account: a one-way copy between them is a CopyObject. */
class S3StoreCopyTest {

    @TempDir
    Path state;

    @Test
    void twoPrefixesOfOneStoreCopyOnTheStoreWithTheirTimes() throws Exception {
        try (SyncTarget a = S3ProxyServer.get().newTarget("copy-src", Map.of());
                SyncTarget b = S3ProxyServer.get().newTarget("copy-dst", Map.of());
                SyncTarget elsewhere = S3ProxyServer.inMemory().newTarget("copy-other", Map.of())) {
            S3Target dst = (S3Target) b;
            assertThat(dst.canCopyFrom(a)).isTrue();
            assertThat(dst.canCopyFrom(elsewhere)).as("another endpoint").isFalse();
            Instant t = Instant.parse("2023-01-02T03:04:05.123456789Z");
            byte[] data = "the content".getBytes(StandardCharsets.UTF_8);
            a.write(SyncPath.of("d/f.txt"), new ByteArrayInputStream(data), WriteHints.ofSize(data.length).withModTime(t));

            Entry copied = dst.copyFrom(a, SyncPath.of("d/f.txt"), SyncPath.of("g.txt"));
            assertThat(copied.size()).isEqualTo(data.length);
            assertThat(b.stat(SyncPath.of("g.txt")).flatMap(Entry::modTime)).contains(t);
            try (var in = b.open(SyncPath.of("g.txt"), 0)) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }

            SyncReport r = Sync.between(a, b, SyncOptions.builder().mode(SyncMode.MIRROR).stateDirectory(state).build())
                    .run();
            assertThat(r.failures()).isEmpty();
            assertThat(b.stat(SyncPath.of("d/f.txt")).flatMap(Entry::modTime)).contains(t);
            assertThat(b.stat(SyncPath.of("g.txt"))).as("mirrored away").isEmpty();
        }
    }
}
