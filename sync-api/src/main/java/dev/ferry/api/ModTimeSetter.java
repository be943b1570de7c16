package dev.ferry.api;

import java.io.IOException;
import java.time.Instant;

/** Ability: change a stored file's modification time without sending its content again. */
public interface ModTimeSetter {
    /** Sets the modification time; returns the entry as now stored. */
    Entry setModTime(SyncPath path, Instant modTime) throws IOException;
}
