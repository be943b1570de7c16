package dev.ferry.api;

import java.io.IOException;

/** Ability: rename or move a file inside the target. */
public interface ServerSideMove {
    /**
     * Moves a file or directory from {@code from} to {@code to}, replacing a file at {@code to}
     * and creating its parents; the modification time is kept.
     *
     * @return the entry at {@code to}
     * @throws NotFoundException if nothing is at {@code from}
     */
    Entry move(SyncPath from, SyncPath to) throws IOException;
}
