package dev.ferry.backend.crypt;

import dev.ferry.api.Capabilities;
import dev.ferry.api.ContentVerifier;
import dev.ferry.api.DescribedReader;
import dev.ferry.api.Entry;
import dev.ferry.api.ListingSink;
import dev.ferry.api.ModTimeSetter;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.ServerSideCopy;
import dev.ferry.api.ServerSideMove;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;

/**
 * A target whose content and names are encrypted, in rclone's crypt format, on their way to
 * another target, and decrypted on their way back: {@code crypt:LOCATION}. rclone reads what it
 * writes and the other way round.
 *
 * <p>Listings map names and sizes without reading content; times pass through; no plaintext
 * hash is claimed (the store only knows hashes of ciphertext). A stored file that does not
 * decrypt fails its read with a {@link DecryptionException} naming it, and no plaintext of a
 * chunk that failed authentication is handed out. Abilities follow the wrapped target's:
 * resumable writes, store-side copies and moves, setting times, described reads; and
 * {@link ContentVerifier}, rclone's {@code cryptcheck}.
 */
public final class CryptTarget implements SyncTarget {

    private final Vault vault;
    private final CryptListing listing;
    private final CryptReads reads;
    private final CryptWrites writes;
    private final CryptStoreOps storeOps;
    private final Capabilities capabilities;
    private final CryptVerifier verifier;

    private CryptTarget(Vault vault) {
        this.vault = vault;
        this.listing = new CryptListing(vault);
        this.reads = new CryptReads(vault);
        this.writes = new CryptWrites(vault);
        this.storeOps = new CryptStoreOps(vault);
        this.verifier = new CryptVerifier(vault);
        Capabilities c = vault.inner.capabilities();
        boolean caseSafe = vault.names.mode() == NameCipher.Mode.STANDARD && vault.names.encoding() == NameEncoding.BASE32;
        this.capabilities = Capabilities.builder()
                .keepsModTime(c.keepsModTime())
                .modTimePrecision(c.modTimePrecision())
                .hashes(Set.of())
                .caseSensitive(c.caseSensitive() || caseSafe)
                .maxNameLength(vault.names.maxPlainNameLength(c.maxNameLength()))
                .conditionalWrites(c.conditionalWrites())
                .listsModTimes(c.listsModTimes())
                .build();
    }

    /**
     * Wraps {@code inner}; derives the keys (scrypt: some 50 ms).
     *
     * @param root the path inside the plaintext view this target starts at
     */
    static CryptTarget wrap(SyncTarget inner, CryptOptions options, SyncPath root) {
        CryptKeys keys = CryptKeys.derive(options.password(), options.salt());
        NameCipher names = new NameCipher(options.mode(), options.encoding(), options.directoryNames(),
                options.suffix(), keys);
        return new CryptTarget(new Vault(inner, keys, names, options, root));
    }

    Vault vault() {
        return vault;
    }

    @Override
    public String description() {
        return "crypt:" + vault.inner.description() + (vault.root().isRoot() ? "" : "#" + vault.root());
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public void list(SyncPath directory, ListingSink sink) throws IOException {
        listing.list(directory, sink);
    }

    @Override
    public Optional<Entry> stat(SyncPath path) throws IOException {
        if (path.isRoot()) {
            return vault.inner.stat(vault.storedDirectory(path)).filter(Entry::isDirectory)
                    .map(e -> vault.plainEntry(path, e).orElseThrow());
        }
        Optional<Entry> stored = vault.inner.stat(vault.storedFile(path));
        if (stored.isPresent() && stored.get().isFile()) {
            return Optional.of(vault.requirePlainEntry(path, stored.get()));
        }
        if (!vault.names.filesAndDirectoriesAlike()) {
            stored = vault.inner.stat(vault.storedDirectory(path));
        }
        return stored.filter(Entry::isDirectory).flatMap(e -> vault.plainEntry(path, e));
    }

    @Override
    public InputStream open(SyncPath path, long offset) throws IOException {
        return reads.open(path, offset);
    }

    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        return writes.write(path, content, hints);
    }

    @Override
    public void delete(SyncPath path) throws IOException {
        if (vault.names.filesAndDirectoriesAlike()) {
            vault.inner.delete(vault.storedFile(path));
            return;
        }
        Optional<Entry> file = vault.inner.stat(vault.storedFile(path));
        if (file.isPresent() && file.get().isFile()) {
            vault.inner.delete(vault.storedFile(path));
        } else {
            vault.inner.delete(vault.storedDirectory(path));
        }
    }

    @Override
    public void makeDirectories(SyncPath directory) throws IOException {
        vault.checkNameLengths(directory, false);
        vault.inner.makeDirectories(vault.storedDirectory(directory));
    }

    @Override
    public <T> Optional<T> ability(Class<T> type) {
        Object view = null;
        if (type == ResumableWriter.class) {
            view = vault.inner.ability(ResumableWriter.class).map(writes::resumable).orElse(null);
        } else if (type == ServerSideCopy.class) {
            view = vault.inner.ability(ServerSideCopy.class).map(storeOps::copies).orElse(null);
        } else if (type == ServerSideMove.class) {
            view = vault.inner.ability(ServerSideMove.class).map(storeOps::moves).orElse(null);
        } else if (type == ModTimeSetter.class) {
            view = vault.inner.ability(ModTimeSetter.class).map(storeOps::times).orElse(null);
        } else if (type == ContentVerifier.class) {
            view = verifier;
        } else if (type == DescribedReader.class) {
            view = vault.inner.ability(DescribedReader.class)
                    .map(r -> (DescribedReader) (p, offset) -> reads.openDescribed(r, p, offset)).orElse(null);
        }
        return Optional.ofNullable(view).map(type::cast);
    }

    @Override
    public void close() throws IOException {
        vault.inner.close();
    }

    @Override
    public String toString() {
        return "CryptTarget[" + description() + ", " + vault.options + "]";
    }
}
