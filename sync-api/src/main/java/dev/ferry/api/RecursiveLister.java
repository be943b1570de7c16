package dev.ferry.api;

import java.io.IOException;

/**
 * Ability: list a whole subtree in one go, where that is cheaper than a listing per directory
 * (an object store's flat key listing).
 */
public interface RecursiveLister {
    /**
     * Streams every entry below {@code directory} (not the directory itself) into {@code sink},
     * with paths relative to the target's root, in any order.
     */
    void listRecursive(SyncPath directory, ListingSink sink) throws IOException;

    /**
     * Streams the entries below {@code directory} whose paths, relative to the root, lie in the key
     * range {@code [fromPath, untilPath)} by Unicode code point (the byte order of UTF-8, in which
     * S3 lists keys); {@code null} means no bound. A store that lists in key order starts at the
     * range and stops past it, so each of N key-range shards lists about 1/N of a flat prefix.
     * Entries outside the range may still be streamed (the caller filters them); the default
     * lists everything.
     */
    default void listRecursive(SyncPath directory, ListingSink sink, String fromPath, String untilPath)
            throws IOException {
        listRecursive(directory, sink);
    }
}
