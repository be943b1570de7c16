package dev.ferry.backend.crypt;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Plaintext in, rclone crypt format out, one 64 KiB chunk in memory at a time. May start at a
 * later chunk without the header, to continue an interrupted upload with the very bytes the first
 * attempt sent (encryption is deterministic once the nonce is fixed). Does not close its source.
 */
final class EncryptingStream extends InputStream {

    private final InputStream plaintext;
    private final SecretBox box;
    private final Nonce nonce;
    private final byte[] in = new byte[ContentFormat.CHUNK_DATA];
    private final byte[] out = new byte[ContentFormat.CHUNK_SIZE];
    private int pos;
    private int limit;
    private boolean eof;

    /**
     * @param plaintext the content from the start of chunk {@code firstChunk}
     * @param dataKey the content key
     * @param fileNonce the nonce in the file's header
     * @param firstChunk the first chunk to produce; 0 starts with the header
     */
    EncryptingStream(InputStream plaintext, byte[] dataKey, Nonce fileNonce, long firstChunk) {
        this.plaintext = Objects.requireNonNull(plaintext);
        this.box = new SecretBox(dataKey);
        this.nonce = fileNonce.copy();
        this.nonce.add(firstChunk);
        if (firstChunk == 0) {
            System.arraycopy(ContentFormat.MAGIC, 0, out, 0, ContentFormat.MAGIC.length);
            System.arraycopy(fileNonce.bytes(), 0, out, ContentFormat.MAGIC.length, Nonce.SIZE);
            limit = ContentFormat.HEADER_SIZE;
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (pos == limit && !fill()) {
            return -1;
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(out, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return limit - pos;
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = 0;
        while (n < in.length) {
            int r = plaintext.read(in, n, in.length - n);
            if (r < 0) {
                eof = true;
                break;
            }
            n += r;
        }
        if (n == 0) {
            return false;
        }
        box.seal(nonce.bytes(), in, 0, n, out, 0);
        nonce.increment();
        pos = 0;
        limit = n + SecretBox.OVERHEAD;
        return true;
    }
}
