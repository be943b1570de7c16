package dev.ferry.backend.crypt;

import java.io.IOException;
import java.io.InputStream;

/**
 * Plaintext in, rclone crypt format out, one 64 KiB chunk in memory at a time. May start at a
 * later chunk without the header, to continue an interrupted upload with the very bytes the first
 * attempt sent (encryption is deterministic once the nonce is fixed). Does not close its source.
 */
final class EncryptingStream extends ChunkStream {

    private final SecretBox box;
    private final Nonce nonce;

    /**
     * @param plaintext the content from the start of chunk {@code firstChunk}
     * @param dataKey the content key
     * @param fileNonce the nonce in the file's header
     * @param firstChunk the first chunk to produce; 0 starts with the header
     */
    EncryptingStream(InputStream plaintext, byte[] dataKey, Nonce fileNonce, long firstChunk) {
        super(plaintext, ContentFormat.CHUNK_DATA, ContentFormat.CHUNK_SIZE);
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
    protected boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = readChunk();
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
