package dev.ferry.backend.crypt;

import dev.ferry.api.ContentVerifier;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * rclone's {@code cryptcheck}: whether a stored file holds given plaintext, without decrypting
 * it. Encryption is deterministic once the nonce is fixed, so the plaintext is encrypted with the
 * nonce of the stored file's header; the result is compared with the hash the wrapped store
 * reports for the ciphertext (an S3 MD5) where it has one, else with the stored bytes, streamed.
 * Only the 32-byte header is read from the store in the first case.
 */
final class CryptVerifier implements ContentVerifier {

    private final Vault vault;

    CryptVerifier(Vault vault) {
        this.vault = vault;
    }

    @Override
    public boolean holds(Entry stored, InputStream content) throws IOException {
        SyncPath path = vault.storedFile(stored.path());
        Optional<Entry> cipherEntry = vault.inner.stat(path).filter(Entry::isFile);
        if (cipherEntry.isEmpty()) {
            return false;
        }
        Optional<HashAlgorithm> alg = vault.inner.capabilities().hashes().stream()
                .filter(a -> cipherEntry.get().hash(a).isPresent()).findFirst();
        if (alg.isPresent()) {
            Nonce nonce;
            try (InputStream in = vault.inner.open(path, 0)) {
                nonce = CryptReads.header(stored.path(), in, false);
            }
            MessageDigest digest = alg.get().newDigest();
            try (InputStream encrypted = new EncryptingStream(content, vault.keys.dataKey(), nonce, 0)) {
                byte[] buf = new byte[ContentFormat.CHUNK_SIZE];
                for (int n; (n = encrypted.read(buf)) >= 0; ) {
                    digest.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest()).equals(cipherEntry.get().hash(alg.get()).orElseThrow());
        }
        try (InputStream in = vault.inner.open(path, 0)) {
            Nonce nonce = CryptReads.header(stored.path(), in, false);
            return sameBytes(new EncryptingStream(content, vault.keys.dataKey(), nonce, 0), in);
        }
    }

    /** Compares the encrypted stream with the stored file (whose header {@code stored} has already passed). */
    private static boolean sameBytes(InputStream encrypted, InputStream stored) throws IOException {
        encrypted.readNBytes(ContentFormat.HEADER_SIZE); // ours: the same magic and nonce as the stored one
        byte[] a = new byte[ContentFormat.CHUNK_SIZE];
        byte[] b = new byte[ContentFormat.CHUNK_SIZE];
        while (true) {
            int n = encrypted.readNBytes(a, 0, a.length);
            int m = stored.readNBytes(b, 0, n == 0 ? 1 : n);
            if (n != m || !Arrays.equals(a, 0, n, b, 0, m)) {
                return false;
            }
            if (n == 0) {
                return true;
            }
        }
    }
}
