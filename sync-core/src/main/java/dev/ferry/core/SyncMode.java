package dev.ferry.core;

/** What a one-way run does to the destination. */
public enum SyncMode {
    /** Add new files and update changed ones; never delete anything. */
    COPY,
    /** Make the destination identical to the source: also delete what the source lacks. */
    MIRROR
}
