package dev.ferry.backend.crypt;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * What {@link EncryptingStream} and {@link DecryptingStream} share: hand out one processed chunk
 * from a buffer, and make the next one when it is used up.
 */
abstract class ChunkStream extends InputStream {

    /** Where chunks come from. */
    protected final InputStream source;
    /** The chunk read from the source. */
    protected final byte[] in;
    /** The current chunk's bytes, {@code [pos, limit)} not yet handed out. */
    protected final byte[] out;
    protected int pos;
    protected int limit;
    /** Whether the source has ended. */
    protected boolean eof;

    ChunkStream(InputStream source, int inSize, int outSize) {
        this.source = Objects.requireNonNull(source);
        this.in = new byte[inSize];
        this.out = new byte[outSize];
    }

    /** Makes the next chunk in {@code out} (setting {@code pos} and {@code limit}); false at the end. */
    protected abstract boolean fill() throws IOException;

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (pos == limit) {
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(out, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public final int available() {
        return limit - pos;
    }

    /** Reads the next chunk into {@code in}: until it is full or the source ends; returns its length. */
    protected final int readChunk() throws IOException {
        int n = 0;
        while (n < in.length) {
            int r = source.read(in, n, in.length - n);
            if (r < 0) {
                eof = true;
                break;
            }
            n += r;
        }
        return n;
    }
}
