package dev.ferry.core;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import java.util.Optional;

/**
 * One step of a {@link SyncPlan}: a value you can print, filter or count before anything runs.
 * Every action changes one side: in a one-way run always the destination, in a two-way run
 * either.
 */
public sealed interface SyncAction {

    /** The path this action changes (for a move: where the file ends up). */
    SyncPath path();

    /** The side this action changes. */
    Side side();

    /** One of the two targets of a run. */
    enum Side {
        /** The first target ({@code Sync.between(source, ...)}); "A" in two-way terms. */
        SOURCE,
        /** The second target; "B" in two-way terms. */
        DESTINATION;

        /** The other side. */
        public Side other() {
            return this == SOURCE ? DESTINATION : SOURCE;
        }
    }

    /** Why a file is copied. */
    enum Reason {
        /** The side written to has no such file. */
        MISSING,
        /** Sizes differ. */
        SIZE_DIFFERS,
        /** Modification times differ and no hash could show the content is equal. */
        MODTIME_DIFFERS,
        /** Hashes differ. */
        HASH_DIFFERS,
        /** A directory stands where the source has a file (mirror only). */
        REPLACES_DIRECTORY,
        /**
         * The file changed on the side copied from since the last run: two-way, or one-way where
         * times cannot tell and the run remembers what it copied.
         */
        CHANGED,
        /** Two-way: it changed on the side copied from and was deleted on the other: a deletion never beats a change. */
        RESTORES_DELETED,
        /** Two-way: it changed on both sides and this side's version won by the conflict policy. */
        CONFLICT_WINNER
    }

    /** Create a directory. */
    record MakeDirectory(SyncPath path, Side side) implements SyncAction {
        /** On the destination. */
        public MakeDirectory(SyncPath path) {
            this(path, Side.DESTINATION);
        }
    }

    /**
     * Copy a file to {@code side} from the other side.
     *
     * @param source the file as the side copied from listed it
     * @param replaced what the side written to had there, if anything
     * @param reason why
     * @param side the side written to
     */
    record CopyFile(Entry source, Optional<Entry> replaced, Reason reason, Side side) implements SyncAction {
        /** To the destination. */
        public CopyFile(Entry source, Optional<Entry> replaced, Reason reason) {
            this(source, replaced, reason, Side.DESTINATION);
        }

        @Override
        public SyncPath path() {
            return source.path();
        }
    }

    /** Content is equal but the time differs: set the time on {@code side} only. */
    record UpdateModTime(Entry source, Entry destination, Side side) implements SyncAction {
        /** On the destination. */
        public UpdateModTime(Entry source, Entry destination) {
            this(source, destination, Side.DESTINATION);
        }

        @Override
        public SyncPath path() {
            return destination.path();
        }
    }

    /** Delete a file from {@code side}. */
    record DeleteFile(Entry destination, Side side) implements SyncAction {
        /** From the destination. */
        public DeleteFile(Entry destination) {
            this(destination, Side.DESTINATION);
        }

        @Override
        public SyncPath path() {
            return destination.path();
        }
    }

    /** Delete a directory from {@code side}, after its contents. */
    record DeleteDirectory(SyncPath path, Side side) implements SyncAction {
        /** From the destination. */
        public DeleteDirectory(SyncPath path) {
            this(path, Side.DESTINATION);
        }
    }

    /**
     * Two-way: move a file within {@code side} (the losing version of a conflict, kept under a
     * conflict name; a rename seen on the other side), server-side where the target can.
     *
     * @param file the file as listed
     * @param to where it goes
     * @param side the side it is on
     */
    record MoveFile(Entry file, SyncPath to, Side side) implements SyncAction {
        @Override
        public SyncPath path() {
            return to;
        }
    }
}
