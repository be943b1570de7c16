package dev.ferry.backend.crypt;

import dev.ferry.api.Entry;
import dev.ferry.api.ModTimeSetter;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.ServerSideCopy;
import dev.ferry.api.ServerSideMove;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * What the wrapped store does without the content passing through: copies and moves (the stored
 * bytes stay valid under another name: names are not bound into the content), and setting a
 * time. Offered only where the wrapped target offers them.
 */
final class CryptStoreOps {

    private final Vault vault;

    CryptStoreOps(Vault vault) {
        this.vault = vault;
    }

    ServerSideCopy copies(ServerSideCopy inner) {
        return new ServerSideCopy() {
            @Override
            public Entry copy(SyncPath from, SyncPath to) throws IOException {
                vault.checkNameLengths(to, true);
                return vault.requirePlainEntry(to, inner.copy(vault.storedFile(from), vault.storedFile(to)));
            }

            @Override
            public boolean canCopyFrom(SyncTarget source) {
                return source instanceof CryptTarget other && other.vault().keys.sameAs(vault.keys)
                        && other.vault().options.equals(vault.options) && inner.canCopyFrom(other.vault().inner);
            }

            @Override
            public Entry copyFrom(SyncTarget source, SyncPath from, SyncPath to) throws IOException {
                Vault other = ((CryptTarget) source).vault();
                vault.checkNameLengths(to, true);
                return vault.requirePlainEntry(to, inner.copyFrom(other.inner, other.storedFile(from),
                        vault.storedFile(to)));
            }
        };
    }

    ServerSideMove moves(ServerSideMove inner) {
        return (from, to) -> {
            Optional<Entry> file = vault.inner.stat(vault.storedFile(from)).filter(Entry::isFile);
            if (file.isPresent()) {
                vault.checkNameLengths(to, true);
                return vault.requirePlainEntry(to, inner.move(vault.storedFile(from), vault.storedFile(to)));
            }
            Optional<Entry> dir = vault.inner.stat(vault.storedDirectory(from)).filter(Entry::isDirectory);
            if (dir.isEmpty()) {
                throw new NotFoundException("nothing to move at " + from);
            }
            vault.checkNameLengths(to, false);
            return vault.requirePlainEntry(to, inner.move(vault.storedDirectory(from), vault.storedDirectory(to)));
        };
    }

    ModTimeSetter times(ModTimeSetter inner) {
        return (SyncPath path, Instant time) -> vault.requirePlainEntry(path, inner.setModTime(vault.storedFile(path), time));
    }
}
