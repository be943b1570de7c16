package dev.ferry.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.backend.support.ForwardingTarget;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.backend.support.TemporaryNames;
import dev.ferry.core.RetryPolicy;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import dev.ferry.testkit.engine.KilledSync;
import dev.ferry.testkit.TestContent;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Large transfers continue where they stopped: after a failed attempt, and after the process was killed. */
class ResumeTest {

    @TempDir
    Path tmp;

    static void bigFile(Path file, long size) throws IOException {
        Files.createDirectories(file.getParent());
        try (InputStream in = TestContent.stream(42, size); OutputStream out = Files.newOutputStream(file)) {
            in.transferTo(out);
        }
    }

    static String sha(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return TestContent.sha256(in);
        }
    }

    @Test
    void aRetriedTransferSendsOnlyWhatWasMissing() throws IOException {
        retryAfterCut(8L << 20, 10L << 20);
    }

    @Test
    void withResumingOffARetrySendsTheWholeFile() throws IOException {
        retryAfterCut(Long.MAX_VALUE, 24L << 20);
    }

    /** A 24 MiB copy whose first read dies after 14 MiB; {@code expectSent}: bytes the retry sends. */
    private void retryAfterCut(long resumableFrom, long expectSent) throws IOException {
        long size = 24L << 20;
        bigFile(tmp.resolve("src/big.bin"), size);
        AtomicBoolean cut = new AtomicBoolean();
        try (LocalTarget real = new LocalTarget(tmp.resolve("src"));
                SyncTarget dst = SyncTargets.load().open(tmp.resolve("dst").toString())) {
            // A source whose first read dies after 14 MiB, as a network would.
            SyncTarget src = new ForwardingTarget(real) {
                @Override
                public InputStream open(SyncPath path, long offset) throws IOException {
                    InputStream in = real.open(path, offset);
                    if (cut.getAndSet(true)) {
                        return in;
                    }
                    return new FilterInputStream(in) {
                        long n;

                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            if (n >= 14L << 20) {
                                throw new SocketException("connection reset");
                            }
                            int r = super.read(b, off, (int) Math.min(len, (14L << 20) - n));
                            n += Math.max(r, 0);
                            return r;
                        }
                    };
                }
            };
            SyncReport r = Sync.between(src, dst, SyncOptions.builder().stateDirectory(tmp.resolve("state"))
                    .retry(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), 10))
                    .resumableFrom(resumableFrom).build()).run();
            assertThat(r.failures()).isEmpty();
            assertThat(r.retries()).isEqualTo(1);
            assertThat(r.bytesCopied()).as("bytes sent by the attempt that finished").isEqualTo(expectSent);
        }
        assertThat(sha(tmp.resolve("dst/big.bin"))).isEqualTo(sha(tmp.resolve("src/big.bin")));
        assertThat(tmp.resolve("state/transfers")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
                p -> assertThat(p).isEmptyDirectory());
    }

    @Test
    void aKilledProcessIsContinuedByTheNextOne() throws Exception {
        long size = 200L << 20;
        bigFile(tmp.resolve("src/video.bin"), size);
        Path dst = tmp.resolve("dst");
        Path state = tmp.resolve("state");
        Process child = KilledSync.start(KilledSync.Location.of(tmp.resolve("src").toString()),
                KilledSync.Location.of(dst.toString()), state, 40_000_000L, tmp.resolve("child"));
        KilledSync.killWhen(child, () -> {
            try {
                return partialSize(dst);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, size / 2, Duration.ofSeconds(60), tmp.resolve("child"));
        long left = partialSize(dst);
        assertThat(left).as("a partial file is left, invisible").isBetween(size / 2, size - 1);
        assertThat(dst.resolve("video.bin")).doesNotExist();

        try (SyncTarget s = SyncTargets.load().open(tmp.resolve("src").toString());
                SyncTarget d = SyncTargets.load().open(dst.toString())) {
            SyncReport r = Sync.between(s, d, SyncOptions.builder().stateDirectory(state).build()).run();
            assertThat(r.failures()).isEmpty();
            System.out.printf("resume after kill: first process left %d MiB, second sent %d MiB of %d (%.0f%%)%n",
                    left >> 20, r.bytesCopied() >> 20, size >> 20, 100.0 * r.bytesCopied() / size);
            assertThat(r.bytesCopied()).as("sent the second time").isLessThanOrEqualTo((long) (size * 0.6));
        }
        assertThat(sha(dst.resolve("video.bin"))).isEqualTo(sha(tmp.resolve("src/video.bin")));
        assertThat(partialSize(dst)).isZero();
    }

    /** Size of Ferry's temporary file in {@code dir}, 0 if there is none. */
    static long partialSize(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            Optional<Path> temp = files.filter(p -> TemporaryNames.isTemporary(p.getFileName().toString())).findFirst();
            return temp.isPresent() ? Files.size(temp.get()) : 0;
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        }
    }
}
