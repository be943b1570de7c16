package dev.ferry.api;

import java.io.IOException;

/** Ability: copy a file inside the target without sending its bytes through the client. */
public interface ServerSideCopy {
    /**
     * Copies the file {@code from} to {@code to}, replacing {@code to} atomically and creating its
     * parents; the copy keeps the modification time where the target keeps times.
     *
     * @return the new entry at {@code to}
     * @throws NotFoundException if there is no file at {@code from}
     */
    Entry copy(SyncPath from, SyncPath to) throws IOException;
}
