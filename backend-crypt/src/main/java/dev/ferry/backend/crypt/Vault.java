package dev.ferry.backend.crypt;

import dev.ferry.api.Entry;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What the parts of a {@link CryptTarget} share: the wrapped target, the keys, the name cipher and
 * the path inside the wrapped view this target starts at; the one mapping between plaintext paths
 * and entries and stored ones. Immutable.
 */
final class Vault {

    final SyncTarget inner;
    final CryptKeys keys;
    final NameCipher names;
    final CryptOptions options;
    private final SyncPath root;

    Vault(SyncTarget inner, CryptKeys keys, NameCipher names, CryptOptions options, SyncPath root) {
        this.inner = inner;
        this.keys = keys;
        this.names = names;
        this.options = options;
        this.root = root;
    }

    SyncPath root() {
        return root;
    }

    /** Where the file {@code plain} is stored in the wrapped target. */
    SyncPath storedFile(SyncPath plain) {
        return names.filePath(root.resolve(plain));
    }

    /** Where the directory {@code plain} is stored in the wrapped target. */
    SyncPath storedDirectory(SyncPath plain) {
        return names.directoryPath(root.resolve(plain));
    }

    /** The stored file's size and time under its plaintext path; empty if its size is impossible. */
    Optional<Entry> plainEntry(SyncPath plain, Entry stored) {
        if (stored.isDirectory()) {
            Entry.Builder b = Entry.directory(plain).modTimePrecision(stored.modTimePrecision()).version(
                    stored.version().orElse(null));
            stored.modTime().ifPresent(b::modTime);
            return Optional.of(b.build());
        }
        long size = ContentFormat.decryptedSize(stored.size());
        if (size < 0) {
            return Optional.empty();
        }
        Entry.Builder b = Entry.file(plain, size).modTimePrecision(stored.modTimePrecision())
                .version(stored.version().orElse(null));
        stored.modTime().ifPresent(b::modTime);
        return Optional.of(b.build());
    }

    /** As {@link #plainEntry}, failing with a message naming the file when its size is impossible. */
    Entry requirePlainEntry(SyncPath plain, Entry stored) throws DecryptionException {
        return plainEntry(plain, stored).orElseThrow(() -> notEncrypted(plain, stored));
    }

    /** A stored entry as a precondition of the wrapped target expects it: stored path and size, no hashes. */
    Entry storedEntry(SyncPath storedPath, Entry plain) {
        Entry.Builder b = plain.isDirectory() ? Entry.directory(storedPath)
                : Entry.file(storedPath, ContentFormat.encryptedSize(plain.size()));
        b.modTimePrecision(plain.modTimePrecision()).version(plain.version().orElse(null));
        plain.modTime().ifPresent(b::modTime);
        return b.build();
    }

    /**
     * Refuses, before any byte is written, a path whose stored names the wrapped target cannot
     * take.
     */
    void checkNameLengths(SyncPath plain, boolean file) throws PermanentSyncException {
        int limit = inner.capabilities().maxNameLength();
        if (limit == 0) {
            return;
        }
        SyncPath full = root.resolve(plain);
        SyncPath stored;
        try {
            stored = file ? names.filePath(full) : names.directoryPath(full);
        } catch (IllegalArgumentException e) {
            throw new PermanentSyncException(plain + ": " + e.getMessage());
        }
        for (String name : stored.segments()) {
            int bytes = name.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > limit) {
                throw new PermanentSyncException(plain + ": name too long once encrypted (" + bytes
                        + " bytes stored, " + inner.description() + " takes at most " + limit
                        + "); shorten it, or use filename_encoding base64 or base32768");
            }
        }
    }

    /** A safe name for messages: the plaintext path; never a key. */
    static DecryptionException notEncrypted(SyncPath plain, Entry stored) {
        return new DecryptionException(plain + ": not an rclone crypt file (" + stored.size()
                + " bytes stored at " + stored.path() + " cannot be header and chunks)");
    }
}
