package dev.ferry.api;

import java.io.IOException;

/** Ability: copy a file inside the target without sending its bytes through the client. */
public interface ServerSideCopy {
    /** Copies {@code from} to {@code to}, replacing {@code to} atomically; returns the new entry. */
    Entry copy(SyncPath from, SyncPath to) throws IOException;
}
