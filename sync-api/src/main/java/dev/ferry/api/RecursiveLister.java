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
}
