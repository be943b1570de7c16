package dev.ferry.core;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import java.util.Optional;

/** One step of a {@link SyncPlan}: a value you can print, filter or count before anything runs. */
public sealed interface SyncAction {

    /** The destination path this action changes. */
    SyncPath path();

    /** Why a file is copied. */
    enum Reason {
        /** The destination has no such file. */
        MISSING,
        /** Sizes differ. */
        SIZE_DIFFERS,
        /** Modification times differ and no hash could show the content is equal. */
        MODTIME_DIFFERS,
        /** Hashes differ. */
        HASH_DIFFERS,
        /** A directory on the destination stands where the source has a file (mirror only). */
        REPLACES_DIRECTORY
    }

    /** Create a directory on the destination. */
    record MakeDirectory(SyncPath path) implements SyncAction {}

    /**
     * Copy a file from source to destination.
     *
     * @param source the file as the source listed it
     * @param replaced what the destination had there, if anything
     * @param reason why
     */
    record CopyFile(Entry source, Optional<Entry> replaced, Reason reason) implements SyncAction {
        @Override
        public SyncPath path() {
            return source.path();
        }
    }

    /** Content is equal but the time differs: set the destination's time only. */
    record UpdateModTime(Entry source, Entry destination) implements SyncAction {
        @Override
        public SyncPath path() {
            return destination.path();
        }
    }

    /** Delete a file the source does not have (mirror only). */
    record DeleteFile(Entry destination) implements SyncAction {
        @Override
        public SyncPath path() {
            return destination.path();
        }
    }

    /** Delete a directory the source does not have, after its contents (mirror only). */
    record DeleteDirectory(SyncPath path) implements SyncAction {}
}
