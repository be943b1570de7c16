package dev.ferry.backend.crypt;

import static org.assertj.core.api.Assertions.assertThat;
import dev.ferry.testkit.TestSecrets;

import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.backend.support.ForwardingTarget;
import dev.ferry.core.RetryPolicy;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.TestContent;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large copy into {@code crypt:} cut off half-way is continued from the last whole chunk the
 * wrapped target holds, not sent again; the result decrypts to the source.
 */
class CryptResumeTest {

    @TempDir
    Path tmp;

    @Test
    void aRetriedTransferSendsOnlyFromTheLastWholeChunk() throws IOException {
        long size = 24L << 20;
        long cutAt = (14L << 20) + 12_345; // not on a chunk edge
        Path src = Files.createDirectories(tmp.resolve("src"));
        try (InputStream in = TestContent.stream(7, size); OutputStream out = Files.newOutputStream(src.resolve("big.bin"))) {
            in.transferTo(out);
        }
        AtomicBoolean cut = new AtomicBoolean();
        Map<String, String> pw = Map.of("password", TestSecrets.secret("resume"));
        try (SyncTarget real = SyncTargets.load().open(src.toString());
                SyncTarget dst = SyncTargets.load().open("crypt:" + tmp.resolve("dst"), pw)) {
            SyncTarget source = new ForwardingTarget(real) {
                @Override
                public InputStream open(SyncPath path, long offset) throws IOException {
                    InputStream in = real.open(path, offset);
                    return cut.getAndSet(true) ? in : new FilterInputStream(in) {
                        long n;

                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            if (n >= cutAt) {
                                throw new SocketException("connection reset");
                            }
                            int r = super.read(b, off, (int) Math.min(len, cutAt - n));
                            n += Math.max(r, 0);
                            return r;
                        }
                    };
                }
            };
            SyncReport r = Sync.between(source, dst, SyncOptions.builder().stateDirectory(tmp.resolve("state"))
                    .retry(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), 10))
                    .resumableFrom(8L << 20).build()).run();
            assertThat(r.failures()).isEmpty();
            assertThat(r.retries()).isEqualTo(1);
            long resumedFrom = cutAt / ContentFormat.CHUNK_DATA * ContentFormat.CHUNK_DATA;
            assertThat(r.bytesCopied()).as("the retry starts at a chunk edge at or below the cut")
                    .isBetween(size - resumedFrom, size - resumedFrom + 2L * ContentFormat.CHUNK_DATA);
            try (InputStream back = dst.open(SyncPath.of("big.bin"), 0);
                    InputStream original = Files.newInputStream(src.resolve("big.bin"))) {
                assertThat(TestContent.sha256(back)).isEqualTo(TestContent.sha256(original));
            }
        }
    }
}
