package dev.ferry.api;

import java.io.IOException;

/**
 * Receives a directory listing one entry at a time, so a listing of any size streams through
 * without being collected. A target calls it from the thread that called
 * {@link SyncTarget#list}.
 */
public interface ListingSink {

    /** One child of the listed directory. Entries may come in any order. */
    void entry(Entry entry) throws IOException;

    /**
     * Something the listing saw and did not pass on as an entry: a name that is not a safe
     * {@link SyncPath} segment, a symbolic link, a special file, an unreadable directory.
     */
    void notice(ListingNotice notice);
}
