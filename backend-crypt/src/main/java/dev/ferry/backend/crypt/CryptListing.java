package dev.ferry.backend.crypt;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.util.Optional;

/**
 * Listings of the wrapped target, streamed through with names decrypted and sizes mapped, no
 * content read. A stored name that does not decrypt (a foreign file, another password) or a size
 * no crypt file can have becomes an error notice naming it, and the listing goes on; a name that
 * decrypts to something unsafe ({@code ..}, a slash) becomes a hostile-name notice.
 */
final class CryptListing {

    private final Vault vault;

    CryptListing(Vault vault) {
        this.vault = vault;
    }

    void list(SyncPath directory, ListingSink sink) throws IOException {
        vault.inner.list(vault.storedDirectory(directory), new ListingSink() {
            @Override
            public void entry(Entry stored) throws IOException {
                Optional<Entry> plain = plain(directory, stored, sink);
                if (plain.isPresent()) {
                    sink.entry(plain.get());
                }
            }

            @Override
            public void notice(ListingNotice notice) {
                sink.notice(notice);
            }
        });
    }

    /** The plaintext entry of a stored one listed in {@code directory}, or empty after a notice. */
    Optional<Entry> plain(SyncPath directory, Entry stored, ListingSink sink) {
        String storedName = stored.path().name();
        String name;
        try {
            name = stored.isDirectory() ? vault.names.decryptDirectoryName(storedName)
                    : vault.names.decryptFileName(storedName);
        } catch (IllegalArgumentException e) {
            sink.notice(new ListingNotice(stored.path().toString(), ListingNotice.Reason.UNREADABLE,
                    "not an encrypted name (a file put there without crypt, or another password or name"
                            + " encryption): " + e.getMessage()));
            return Optional.empty();
        }
        SyncPath path;
        try {
            path = directory.child(name);
        } catch (IllegalArgumentException e) {
            sink.notice(ListingNotice.hostileName(directory, name, "decrypted name of " + stored.path() + ": "
                    + e.getMessage()));
            return Optional.empty();
        }
        Optional<Entry> plain = vault.plainEntry(path, stored);
        if (plain.isEmpty()) {
            sink.notice(new ListingNotice(path.toString(), ListingNotice.Reason.UNREADABLE,
                    Vault.notEncrypted(path, stored).getMessage()));
        }
        return plain;
    }
}
