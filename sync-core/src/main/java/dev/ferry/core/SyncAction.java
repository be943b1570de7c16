package dev.ferry.core;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One step of a {@link SyncPlan}: a value you can print, filter or count before anything runs.
 * Every action changes one side: in a one-way run always the destination, in a two-way run
 * either.
 *
 * <p>Each action says what {@linkplain #kind() kind} it is (for counting, naming and the order of
 * stages) and {@linkplain #accept dispatches} to a {@link Visitor}, so no caller needs an
 * {@code instanceof} ladder.
 */
public sealed interface SyncAction {

    /** The path this action changes (for a move: where the file ends up). */
    SyncPath path();

    /** The side this action changes. */
    Side side();

    /** What kind of step this is. */
    Kind kind();

    /** Calls the visitor's method for this action's type. */
    <R> R accept(Visitor<R> visitor) throws IOException;

    /** The kinds of action, with the words reports use for them. */
    enum Kind {
        /** {@link MakeDirectory}. */
        MAKE_DIRECTORY("mkdir", "created"),
        /** {@link CopyFile}. */
        COPY("copy", "copied"),
        /** {@link UpdateModTime}. */
        SET_TIME("touch", "touched"),
        /** {@link MoveFile}. */
        MOVE("move", "moved"),
        /** {@link DeleteFile}. */
        DELETE_FILE("delete", "deleted"),
        /** {@link DeleteDirectory}. */
        DELETE_DIRECTORY("rmdir", "deleted"),
        /** {@link AppendFile}. */
        APPEND("append", "appended");

        private final String verb;
        private final String done;

        Kind(String verb, String done) {
            this.verb = verb;
            this.done = done;
        }

        /** The imperative word ({@code copy}, {@code rmdir}), as in dry runs and JSON. */
        public String verb() {
            return verb;
        }

        /** The past form ({@code copied}), as in {@code -v} lines. */
        public String done() {
            return done;
        }

        /** Whether this removes something. */
        public boolean isDeletion() {
            return this == DELETE_FILE || this == DELETE_DIRECTORY;
        }
    }

    /**
     * One method per action type.
     *
     * @param <R> what a visit returns
     */
    interface Visitor<R> {
        /** A directory to create. */
        R makeDirectory(MakeDirectory a) throws IOException;

        /** A file to copy. */
        R copy(CopyFile a) throws IOException;

        /** A time to set. */
        R setTime(UpdateModTime a) throws IOException;

        /** A file to move. */
        R move(MoveFile a) throws IOException;

        /** A file to delete. */
        R deleteFile(DeleteFile a) throws IOException;

        /** A directory to delete. */
        R deleteDirectory(DeleteDirectory a) throws IOException;

        /** A file's new tail to append; only one-way plans have these. */
        default R append(AppendFile a) throws IOException {
            throw new UnsupportedOperationException("this visitor does not take appends: " + a.path());
        }
    }

    /**
     * The stage an action runs in: consecutive actions of one stage run in parallel, a stage
     * starts when the one before has finished. A time update runs with the copies; directories
     * are deleted one depth at a time, deepest first (the planner orders them so).
     */
    default String stage() {
        return switch (kind()) {
            case SET_TIME, COPY, APPEND -> "copy";
            case DELETE_DIRECTORY -> "rmdir" + path().depth();
            default -> kind().name();
        };
    }

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

    /**
     * Create a directory.
     *
     * @param mode the POSIX mode of the directory it copies, where the other side told one
     */
    record MakeDirectory(SyncPath path, Side side, OptionalInt mode) implements SyncAction {
        @Override
        public Kind kind() {
            return Kind.MAKE_DIRECTORY;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) throws IOException {
            return visitor.makeDirectory(this);
        }

        /** On the destination. */
        public MakeDirectory(SyncPath path) {
            this(path, Side.DESTINATION);
        }

        /** With no mode to give it. */
        public MakeDirectory(SyncPath path, Side side) {
            this(path, side, OptionalInt.empty());
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
        @Override
        public Kind kind() {
            return Kind.COPY;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) throws IOException {
            return visitor.copy(this);
        }

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
        @Override
        public Kind kind() {
            return Kind.SET_TIME;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) throws IOException {
            return visitor.setTime(this);
        }

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
        @Override
        public Kind kind() {
            return Kind.DELETE_FILE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) throws IOException {
            return visitor.deleteFile(this);
        }

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
        @Override
        public Kind kind() {
            return Kind.DELETE_DIRECTORY;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) throws IOException {
            return visitor.deleteDirectory(this);
        }

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
        public Kind kind() {
            return Kind.MOVE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) throws IOException {
            return visitor.move(this);
        }

        @Override
        public SyncPath path() {
            return to;
        }
    }

    /**
     * Append the source's bytes {@code [from, to)} to {@code side}'s file, which holds (the plan
     * believes) exactly the source's first {@code from} bytes: a log or a feed that only grew.
     * The overlap is checked before anything is sent; see {@link SyncOptions#appendGrown()}.
     *
     * @param source the file as the side copied from listed it
     * @param destination the shorter file as the side written to listed it
     * @param side the side written to
     */
    record AppendFile(Entry source, Entry destination, Side side) implements SyncAction {
        /** Validates: the destination must be shorter. */
        public AppendFile {
            if (destination.size() >= source.size()) {
                throw new IllegalArgumentException("nothing to append: " + source.path());
            }
        }

        /** To the destination. */
        public AppendFile(Entry source, Entry destination) {
            this(source, destination, Side.DESTINATION);
        }

        @Override
        public Kind kind() {
            return Kind.APPEND;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) throws IOException {
            return visitor.append(this);
        }

        @Override
        public SyncPath path() {
            return source.path();
        }

        /** The first byte sent: the destination's size. */
        public long from() {
            return destination.size();
        }

        /** One past the last byte sent: the source's size. */
        public long to() {
            return source.size();
        }
    }
}
