package dev.ferry.backend.crypt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.backend.support.ForwardingTarget;
import dev.ferry.core.SyncTargets;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a read costs the wrapped store (on S3, requests and bytes fetched): a whole file is one
 * open of the stored file, read once from its start, never a request per chunk or a second pass;
 * an offset read opens the header and then the stored file from the chunk holding the offset.
 */
class CryptReadRequestsTest {

    @TempDir
    Path tmp;

    private final AtomicInteger opens = new AtomicInteger();
    private final AtomicLong fetched = new AtomicLong();

    private SyncTarget counting(SyncTarget real) {
        return new ForwardingTarget(real) {
            @Override
            public InputStream open(SyncPath path, long offset) throws IOException {
                opens.incrementAndGet();
                return new FilterInputStream(real.open(path, offset)) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        fetched.addAndGet(Math.max(n, 0));
                        return n;
                    }
                };
            }
        };
    }

    @Test
    void aWholeReadIsOneOpenOfTheStoredFileReadOnce() throws IOException {
        int size = 5 * ContentFormat.CHUNK_DATA + 777;
        byte[] plain = new byte[size];
        new Random(5).nextBytes(plain);
        SyncPath file = SyncPath.of("d/big.bin");
        try (SyncTarget inner = SyncTargets.load().open(tmp.toString());
                CryptTarget crypt = CryptTarget.wrap(counting(inner),
                        new CryptOptions("requests", "", NameCipher.Mode.STANDARD, NameEncoding.BASE32, true, ".bin"),
                        SyncPath.ROOT)) {
            crypt.makeDirectories(SyncPath.of("d"));
            crypt.write(file, new ByteArrayInputStream(plain), WriteHints.ofSize(size));
            long stored = ContentFormat.encryptedSize(size);

            opens.set(0);
            fetched.set(0);
            try (InputStream in = crypt.open(file, 0)) {
                assertThat(in.readAllBytes()).isEqualTo(plain);
            }
            assertThat(opens).as("opens of the stored file for a whole read").hasValue(1);
            assertThat(fetched).as("stored bytes read for a whole read").hasValue(stored);

            long offset = 3L * ContentFormat.CHUNK_DATA + 100;
            opens.set(0);
            fetched.set(0);
            try (InputStream in = crypt.open(file, offset)) {
                assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(plain, (int) offset, size));
            }
            assertThat(opens).as("header, then the body from the chunk holding the offset").hasValue(2);
            assertThat(fetched.get()).as("stored bytes read for an offset read")
                    .isEqualTo(ContentFormat.HEADER_SIZE + stored - ContentFormat.chunkOffset(3));
        }
    }
}
