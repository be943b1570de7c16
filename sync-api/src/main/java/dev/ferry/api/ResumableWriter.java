package dev.ferry.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Ability: atomic writes that survive a restart of the writer. A large upload cut off half-way
 * (the process killed, the network gone) is continued by a later process from what the target
 * already holds, instead of sent again: S3 multipart uploads, Nextcloud chunk folders, a local
 * temporary file, an FTP upload resumed with APPE. Nothing is visible at the path until
 * {@link PartialWrite#complete()}.
 */
public interface ResumableWriter {

    /**
     * The smallest file this target wants written resumably; smaller ones go through
     * {@link SyncTarget#write}. An S3 store takes a file up to its multipart cutoff in one PUT,
     * which cannot be continued but costs one request and one hash pass instead of a multipart
     * upload's parts. The engine's own threshold applies too: the larger of the two wins.
     */
    default long minimumResumableSize() {
        return 0;
    }

    /** Starts a write that can be continued later; record its {@link PartialWrite#token()}. */
    PartialWrite begin(SyncPath path, WriteHints hints) throws IOException;

    /**
     * Finds an unfinished write by its token; empty if it is gone (completed, aborted, or swept
     * as an abandoned leftover). {@code hints} are those the write was begun with.
     */
    Optional<PartialWrite> resume(String token, WriteHints hints) throws IOException;

    /** A write in progress. */
    interface PartialWrite {

        /** Names this write across restarts (an upload id, a temporary name). Never a secret. */
        String token();

        /** Bytes safely held so far: the next {@link #append} starts at this offset of the content. */
        long committedBytes() throws IOException;

        /** Adds content, which starts at {@link #committedBytes()}; reads it to the end. */
        void append(InputStream content) throws IOException;

        /**
         * Makes the file visible at its path, atomically, with the hinted time.
         *
         * @throws PermanentSyncException if the bytes held are not the hinted size (nothing is published)
         */
        Entry complete() throws IOException;

        /** Drops what was written. */
        void abort() throws IOException;
    }
}
