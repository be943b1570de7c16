package dev.ferry.backend.crypt;

import java.nio.charset.StandardCharsets;

/**
 * rclone's crypt file format: an 8-byte magic {@code RCLONE\0\0}, the 24-byte nonce, then the
 * content in 64 KiB chunks, each sealed with secretbox (16 bytes of tag more) under the nonce
 * incremented once per chunk. The last chunk may be short; an empty file is the header alone.
 */
final class ContentFormat {

    static final byte[] MAGIC = "RCLONE\0\0".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER_SIZE = MAGIC.length + Nonce.SIZE;
    static final int CHUNK_DATA = 64 * 1024;
    static final int CHUNK_SIZE = CHUNK_DATA + SecretBox.OVERHEAD;

    private ContentFormat() {}

    /** The stored size of {@code size} bytes of content. */
    static long encryptedSize(long size) {
        long chunks = size / CHUNK_DATA;
        long rest = size % CHUNK_DATA;
        return HEADER_SIZE + chunks * CHUNK_SIZE + (rest == 0 ? 0 : SecretBox.OVERHEAD + rest);
    }

    /**
     * The content size of a stored file of {@code size} bytes, or -1 if no file in this format has
     * that size (shorter than the header, or a last chunk of no more than its tag).
     */
    static long decryptedSize(long size) {
        long body = size - HEADER_SIZE;
        if (body < 0) {
            return -1;
        }
        long chunks = body / CHUNK_SIZE;
        long rest = body % CHUNK_SIZE;
        if (rest != 0) {
            rest -= SecretBox.OVERHEAD;
            if (rest <= 0) {
                return -1;
            }
        }
        return chunks * CHUNK_DATA + rest;
    }

    /** Where chunk {@code index} starts in the stored file. */
    static long chunkOffset(long index) {
        return HEADER_SIZE + index * CHUNK_SIZE;
    }
}
