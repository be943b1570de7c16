package dev.ferry.backend.crypt;

import dev.ferry.api.DescribedReader;
import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads: the header's nonce, then the chunks from the one holding the offset, so a resumed or
 * offset read costs one chunk more at most, not the file. An offset in the first chunk is one
 * request; a later one reads the 32-byte header first, then the chunks from where they start.
 */
final class CryptReads {

    private final Vault vault;

    CryptReads(Vault vault) {
        this.vault = vault;
    }

    InputStream open(SyncPath path, long offset) throws IOException {
        SyncPath stored = vault.storedFile(path);
        long chunk = offset / ContentFormat.CHUNK_DATA;
        int discard = (int) (offset % ContentFormat.CHUNK_DATA);
        if (chunk == 0) {
            return decrypting(path, vault.inner.open(stored, 0), 0, discard);
        }
        Nonce nonce = header(path, vault.inner.open(stored, 0), true);
        InputStream body = vault.inner.open(stored, ContentFormat.chunkOffset(chunk));
        return new DecryptingStream(body, vault.keys.dataKey(), nonce, chunk, discard, path.toString());
    }

    DescribedReader.Read openDescribed(DescribedReader reader, SyncPath path, long offset) throws IOException {
        SyncPath stored = vault.storedFile(path);
        long chunk = offset / ContentFormat.CHUNK_DATA;
        int discard = (int) (offset % ContentFormat.CHUNK_DATA);
        if (chunk == 0) {
            DescribedReader.Read r = reader.openDescribed(stored, 0);
            Entry plain;
            try {
                plain = vault.requirePlainEntry(path, r.entry());
            } catch (IOException | RuntimeException e) {
                r.close();
                throw e;
            }
            return new DescribedReader.Read(plain, decrypting(path, r.content(), 0, discard));
        }
        Nonce nonce = header(path, vault.inner.open(stored, 0), true);
        DescribedReader.Read r = reader.openDescribed(stored, ContentFormat.chunkOffset(chunk));
        Entry plain;
        try {
            plain = vault.requirePlainEntry(path, r.entry());
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
        return new DescribedReader.Read(plain,
                new DecryptingStream(r.content(), vault.keys.dataKey(), nonce, chunk, discard, path.toString()));
    }

    private InputStream decrypting(SyncPath path, InputStream stored, long chunk, int discard) throws IOException {
        Nonce nonce = header(path, stored, false);
        return new DecryptingStream(stored, vault.keys.dataKey(), nonce, chunk, discard, path.toString());
    }

    /** Reads and checks the header; closes {@code in} when asked to, or when it fails. */
    static Nonce header(SyncPath path, InputStream in, boolean close) throws IOException {
        try {
            byte[] header = in.readNBytes(ContentFormat.HEADER_SIZE);
            if (header.length < ContentFormat.HEADER_SIZE) {
                throw new DecryptionException(path + ": not an rclone crypt file (" + header.length
                        + " bytes, shorter than the 32-byte header)");
            }
            if (!Arrays.equals(header, 0, ContentFormat.MAGIC.length, ContentFormat.MAGIC, 0,
                    ContentFormat.MAGIC.length)) {
                throw new DecryptionException(path + ": not an rclone crypt file (no RCLONE\\0\\0 header)");
            }
            Nonce nonce = Nonce.of(header, ContentFormat.MAGIC.length);
            if (close) {
                in.close();
            }
            return nonce;
        } catch (IOException | RuntimeException e) {
            try {
                in.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
