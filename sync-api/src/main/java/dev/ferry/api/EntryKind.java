package dev.ferry.api;

/** What a listing saw at a path. */
public enum EntryKind {
    /** A regular file with content. */
    FILE,
    /** A directory (or, on object stores, a prefix that holds keys). */
    DIRECTORY
}
