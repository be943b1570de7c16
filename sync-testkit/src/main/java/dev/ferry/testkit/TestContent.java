package dev.ferry.testkit;

import dev.ferry.api.HashAlgorithm;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Deterministic test content of any length, generated as it is read (never held whole in memory),
 * and streaming hashes to check it. The same seed and length always give the same bytes, so a
 * test can regenerate what it wrote instead of keeping it.
 */
public final class TestContent {

    private static final int BUFFER_SIZE = 64 * 1024;

    private TestContent() {}

    /** {@code length} pseudo-random bytes, produced on the fly. */
    public static InputStream stream(long seed, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        return new PseudoRandomStream(seed, length);
    }

    /** Writes the bytes of {@link #stream(long, long)} to {@code file} (replaced), streamed; returns the file. */
    public static java.nio.file.Path writeFile(java.nio.file.Path file, long seed, long length) throws java.io.IOException {
        try (InputStream in = stream(seed, length)) {
            java.nio.file.Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /** The same bytes as {@link #stream(long, long)}, for small content. */
    public static byte[] bytes(long seed, int length) {
        byte[] out = new byte[length];
        try (InputStream in = stream(seed, length)) {
            int off = 0;
            while (off < length) {
                off += in.read(out, off, length - off);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * {@code in}, but failing with an {@link IOException} once {@code failAfter} bytes have been
     * delivered: a source that breaks half-way through a transfer.
     */
    public static InputStream failingAfter(InputStream in, long failAfter) {
        return new FailingStream(in, failAfter);
    }

    /** Reads {@code in} to its end and returns its hash, lowercase hex. Does not close it. */
    public static String hash(HashAlgorithm algorithm, InputStream in) throws IOException {
        MessageDigest digest = algorithm.newDigest();
        byte[] buffer = new byte[BUFFER_SIZE];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            digest.update(buffer, 0, n);
        }
        return HashAlgorithm.hex(digest.digest());
    }

    /** The hash of {@code data}, lowercase hex. */
    public static String hash(HashAlgorithm algorithm, byte[] data) {
        MessageDigest digest = algorithm.newDigest();
        digest.update(data);
        return HashAlgorithm.hex(digest.digest());
    }

    /** Reads {@code in} to its end and returns its SHA-256. Does not close it. */
    public static String sha256(InputStream in) throws IOException {
        return hash(HashAlgorithm.SHA256, in);
    }

    /** SplitMix64 of the block index: fast, and any position can be produced without the ones before. */
    static long block(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static final class PseudoRandomStream extends InputStream {
        private final long seed;
        private final long length;
        private long position;

        PseudoRandomStream(long seed, long length) {
            this.seed = seed;
            this.length = length;
        }

        @Override
        public int read() {
            if (position >= length) {
                return -1;
            }
            long v = block(seed, position >>> 3);
            int b = (int) (v >>> ((position & 7) * 8)) & 0xff;
            position++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            int i = 0;
            while (i < n) {
                int within = (int) (position & 7);
                long v = block(seed, position >>> 3);
                if (within == 0 && n - i >= 8) {
                    for (int k = 0; k < 8; k++) {
                        b[off + i + k] = (byte) (v >>> (k * 8));
                    }
                    i += 8;
                    position += 8;
                } else {
                    b[off + i] = (byte) (v >>> (within * 8));
                    i++;
                    position++;
                }
            }
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, length - position));
            position += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, length - position);
        }
    }

    private static final class FailingStream extends FilterInputStream {
        private final long failAfter;
        private long delivered;

        FailingStream(InputStream in, long failAfter) {
            super(in);
            this.failAfter = failAfter;
        }

        @Override
        public int read() throws IOException {
            check();
            int b = super.read();
            if (b >= 0) {
                delivered++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            int n = super.read(b, off, (int) Math.min(len, failAfter - delivered));
            if (n > 0) {
                delivered += n;
            }
            return n;
        }

        private void check() throws IOException {
            if (delivered >= failAfter) {
                throw new IOException("injected failure of the source after " + delivered + " bytes");
            }
        }
    }

    /** Something a test does in the middle of a transfer (a user's edit on the other side). */
    @FunctionalInterface
    public interface Midway {
        void run() throws IOException;
    }

    /**
     * {@code data} as a stream that runs {@code hook} once, after exactly half of it was handed
     * over and before the rest is: a race driven by the content itself (a user editing the
     * destination while the new version is on its way), never by sleeping.
     */
    public static InputStream halfwayThen(byte[] data, Midway hook) {
        return new InputStream() {
            private int pos;
            private boolean fired;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int half = data.length / 2;
                if (!fired && pos >= half) {
                    fired = true;
                    hook.run();
                }
                if (pos >= data.length) {
                    return -1;
                }
                int end = !fired && pos < half ? half : data.length;
                int n = Math.min(len, end - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }
}
