package dev.ferry.api;

import java.io.IOException;

/**
 * Ability: copy a file without sending its bytes through the client: inside the target, and
 * from another target on the same store (two prefixes of one S3 endpoint and account, two
 * folders of one WebDAV server, two folders of one local file system), as rclone's {@code Copier}
 * does. The engine uses it for a one-way copy when {@link #canCopyFrom} says yes.
 */
public interface ServerSideCopy {
    /**
     * Copies the file {@code from} to {@code to}, replacing {@code to} atomically and creating its
     * parents; the copy keeps the modification time where the target keeps times.
     *
     * @return the new entry at {@code to}
     * @throws NotFoundException if there is no file at {@code from}
     */
    Entry copy(SyncPath from, SyncPath to) throws IOException;

    /**
     * Whether {@link #copyFrom} can copy from {@code source}: the same store reached with the
     * same credentials, so the store itself copies. False by default.
     */
    default boolean canCopyFrom(SyncTarget source) {
        return false;
    }

    /**
     * Copies the file {@code from} of {@code source} (a target {@link #canCopyFrom} accepted) to
     * {@code to} here, with the guarantees of {@link #copy}.
     *
     * @return the new entry at {@code to}
     * @throws NotFoundException if there is no file at {@code from}
     */
    default Entry copyFrom(SyncTarget source, SyncPath from, SyncPath to) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " copies only inside itself");
    }
}
