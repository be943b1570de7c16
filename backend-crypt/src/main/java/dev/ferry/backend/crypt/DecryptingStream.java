package dev.ferry.backend.crypt;

import java.io.IOException;
import java.io.InputStream;

/**
 * Chunks of rclone's crypt format in (the header already read), plaintext out. Every chunk is
 * authenticated whole before any of its bytes are handed out, so a changed, truncated or foreign
 * chunk fails with a {@link DecryptionException} naming the file and no unauthenticated
 * plaintext. One chunk in memory at a time. Closes its source.
 */
final class DecryptingStream extends ChunkStream {

    private final SecretBox box;
    private final Nonce nonce;
    private final String name;
    private long chunk;
    private int discard;

    /**
     * @param ciphertext the stored file from the start of chunk {@code firstChunk}
     * @param fileNonce the nonce of the file's header
     * @param firstChunk the chunk the stream starts at
     * @param discard plaintext bytes to skip in that chunk (an offset read)
     * @param name the file, for messages
     */
    DecryptingStream(InputStream ciphertext, byte[] dataKey, Nonce fileNonce, long firstChunk, int discard,
            String name) {
        super(ciphertext, ContentFormat.CHUNK_SIZE, ContentFormat.CHUNK_DATA);
        this.box = new SecretBox(dataKey);
        this.nonce = fileNonce.copy();
        this.nonce.add(firstChunk);
        this.chunk = firstChunk;
        this.discard = discard;
        this.name = name;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }

    @Override
    protected boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = readChunk();
        if (n == 0) {
            return false; // the end, or an offset at or past it
        }
        if (n <= SecretBox.OVERHEAD) {
            throw new DecryptionException(name + ": encrypted file is truncated (chunk " + chunk
                    + " has " + n + " bytes, no more than its 16-byte tag)");
        }
        if (!box.open(nonce.bytes(), in, 0, n, out, 0)) {
            throw new DecryptionException(name + ": chunk " + chunk + " failed authentication: wrong password"
                    + " or salt, or the stored file was changed, truncated or swapped");
        }
        nonce.increment();
        chunk++;
        int plain = n - SecretBox.OVERHEAD;
        if (discard >= plain) {
            eof = true; // an offset at or past the end
            return false;
        }
        pos = discard;
        discard = 0;
        limit = plain;
        return true;
    }
}
