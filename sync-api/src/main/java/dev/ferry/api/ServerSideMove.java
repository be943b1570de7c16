package dev.ferry.api;

import java.io.IOException;

/** Ability: rename or move a file inside the target. */
public interface ServerSideMove {
    /** Moves {@code from} to {@code to}, replacing {@code to}; returns the entry at {@code to}. */
    Entry move(SyncPath from, SyncPath to) throws IOException;
}
