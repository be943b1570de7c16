package dev.ferry.core;

/** How the engine decides that a file on both sides is the same. */
public enum CompareMode {
    /**
     * Same size and modification times within the modify window (the default). Where the
     * destination cannot keep times, falls back to size plus any hash both listings carry.
     * Where times differ but sizes match and one side listed a hash the other can compute, the
     * hash decides: equal content only gets its time updated. Otherwise the file is copied.
     */
    SIZE_AND_MODTIME,
    /** Same size and same hash, in an algorithm both targets know; slower, exact. */
    CHECKSUM,
    /** Same size only: for targets whose times mean nothing. */
    SIZE_ONLY
}
