package dev.ferry.backend.crypt;

import dev.ferry.api.Entry;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Writes: a fresh random nonce per file, the content encrypted as it streams to the wrapped
 * target's own atomic write, with the stored size, the time and the precondition mapped to
 * stored terms. Plaintext hashes are not passed on: they would describe other bytes.
 *
 * <p>Resumable writes ride on the wrapped target's: the token carries the nonce (public: it is
 * in every file's header), and a continued write re-encrypts from the last whole chunk the
 * wrapped target holds, skipping the ciphertext bytes it already has; with the nonce fixed the
 * bytes are the same ones the first attempt sent.
 */
final class CryptWrites {

    private static final String TOKEN_PREFIX = "crypt1:";

    private final Vault vault;

    CryptWrites(Vault vault) {
        this.vault = vault;
    }

    Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        vault.checkNameLengths(path, true);
        SyncPath stored = vault.storedFile(path);
        EncryptingStream encrypted = new EncryptingStream(content, vault.keys.dataKey(), Nonce.random(), 0);
        Entry written = vault.inner.write(stored, encrypted, storedHints(stored, hints));
        return vault.requirePlainEntry(path, written);
    }

    WriteHints storedHints(SyncPath stored, WriteHints hints) {
        WriteHints.Precondition p = hints.precondition();
        WriteHints.Precondition mapped = p.expected().isPresent()
                ? new WriteHints.Precondition(false, p.expectedVersion(),
                        Optional.of(vault.storedEntry(stored, p.expected().get())))
                : p;
        long size = hints.size() < 0 ? -1 : ContentFormat.encryptedSize(hints.size());
        return new WriteHints(size, hints.modTime(), Map.of(), mapped);
    }

    /** The resumable view, over the wrapped target's. */
    ResumableWriter resumable(ResumableWriter inner) {
        return new ResumableWriter() {
            @Override
            public long minimumResumableSize() {
                return inner.minimumResumableSize();
            }

            @Override
            public PartialWrite begin(SyncPath path, WriteHints hints) throws IOException {
                vault.checkNameLengths(path, true);
                SyncPath stored = vault.storedFile(path);
                Nonce nonce = Nonce.random();
                return new Partial(path, nonce, inner.begin(stored, storedHints(stored, hints)));
            }

            @Override
            public Optional<PartialWrite> resume(String token, WriteHints hints) throws IOException {
                if (!token.startsWith(TOKEN_PREFIX)) {
                    return Optional.empty();
                }
                int colon = token.indexOf(':', TOKEN_PREFIX.length());
                int second = colon < 0 ? -1 : token.indexOf(':', colon + 1);
                if (colon < 0 || second < 0) {
                    return Optional.empty();
                }
                Nonce nonce;
                SyncPath path;
                try {
                    nonce = Nonce.of(HexFormat.of().parseHex(token, TOKEN_PREFIX.length(), colon), 0);
                    path = SyncPath.of(new String(HexFormat.of().parseHex(token, colon + 1, second),
                            java.nio.charset.StandardCharsets.UTF_8));
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    return Optional.empty();
                }
                SyncPath stored = vault.storedFile(path);
                Optional<PartialWrite> w = inner.resume(token.substring(second + 1), storedHints(stored, hints));
                return w.map(p -> new Partial(path, nonce, p));
            }
        };
    }

    /** One resumable write: plaintext offsets outside, whole chunks of ciphertext inside. */
    private final class Partial implements ResumableWriter.PartialWrite {
        private final SyncPath path;
        private final Nonce nonce;
        private final ResumableWriter.PartialWrite stored;

        Partial(SyncPath path, Nonce nonce, ResumableWriter.PartialWrite stored) {
            this.path = path;
            this.nonce = nonce;
            this.stored = stored;
        }

        @Override
        public String token() {
            HexFormat hex = HexFormat.of();
            return TOKEN_PREFIX + hex.formatHex(nonce.bytes()) + ":"
                    + hex.formatHex(path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ":"
                    + stored.token();
        }

        /** The plaintext held: up to the last whole chunk the wrapped target holds. */
        @Override
        public long committedBytes() throws IOException {
            return wholeChunks(stored.committedBytes()) * ContentFormat.CHUNK_DATA;
        }

        @Override
        public void append(InputStream content) throws IOException {
            long held = stored.committedBytes();
            long chunk = wholeChunks(held);
            long start = chunk == 0 ? 0 : ContentFormat.chunkOffset(chunk);
            InputStream encrypted = new EncryptingStream(content, vault.keys.dataKey(), nonce, chunk);
            long skip = held - start;
            while (skip > 0) {
                long n = encrypted.skip(skip);
                if (n <= 0) {
                    if (encrypted.read() < 0) {
                        throw new PermanentSyncException(path + ": the partial upload holds more than the content");
                    }
                    n = 1;
                }
                skip -= n;
            }
            stored.append(encrypted);
        }

        @Override
        public Entry complete() throws IOException {
            return vault.requirePlainEntry(path, stored.complete());
        }

        @Override
        public void abort() throws IOException {
            stored.abort();
        }

        private long wholeChunks(long heldBytes) {
            return heldBytes < ContentFormat.HEADER_SIZE ? 0
                    : (heldBytes - ContentFormat.HEADER_SIZE) / ContentFormat.CHUNK_SIZE;
        }
    }
}
