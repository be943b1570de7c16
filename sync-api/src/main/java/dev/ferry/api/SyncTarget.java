package dev.ferry.api;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * One place files live: a local folder, an FTP directory, an S3 prefix, a WebDAV collection.
 * Every path is relative to the target's root. Implementations are thread-safe: the engine
 * lists and transfers in parallel.
 *
 * <p>Methods throw the {@link SyncException} family where they can say what the engine should do
 * (retry a {@link TransientSyncException}, give up on a {@link PermanentSyncException}, re-plan
 * after a {@link PreconditionFailedException}); any other {@link IOException} is classified by the
 * engine.
 *
 * <p>Abilities beyond this core (server-side copy, move, append, setting modification times,
 * hashing, recursive listing) are small extra interfaces, found with {@link #ability(Class)}.
 */
public interface SyncTarget extends Closeable {

    /**
     * Where this target points, as its location URI without credentials
     * ({@code file:///srv/photos/}, {@code s3://bucket/prefix}): for messages, and for the
     * engine to refuse a destination nested in its source.
     */
    String description();

    /** What this target can keep and tell. */
    Capabilities capabilities();

    /**
     * Lists the direct children of a directory into {@code sink}, streaming. Temporary files of
     * interrupted writes are not listed. A listing may leave out what would cost a request per
     * entry (an object store keeps modification times in user metadata that listings don't
     * return): an entry without a time, from a target that {@linkplain Capabilities#keepsModTime()
     * keeps times}, is {@linkplain #stat stat}ed by the engine when a comparison needs it.
     *
     * @throws NotFoundException if {@code directory} does not exist or is a file (for the root
     *     too, so a missing source is told apart from an empty one)
     */
    void list(SyncPath directory, ListingSink sink) throws IOException;

    /** The entry at {@code path}, or empty if nothing is there; agrees with {@link #list}. */
    Optional<Entry> stat(SyncPath path) throws IOException;

    /**
     * Opens a file for reading from byte {@code offset} (0 for the start; at or past the end gives
     * an empty stream). The caller closes it, and promptly: on a remote target the stream may
     * hold one of a bounded number of server connections (an FTP control and data connection, an
     * HTTP connection) until it is closed.
     *
     * @throws NotFoundException if there is no file at {@code path}
     */
    InputStream open(SyncPath path, long offset) throws IOException;

    /**
     * Writes a file atomically: until this returns, readers see the old content or nothing,
     * never a part; if it fails, nothing new is visible. Parent directories are created as
     * needed. Consumes but does not close {@code content}.
     *
     * @return the entry as now stored, with whatever the target recorded (its mtime, hashes,
     *     version token)
     */
    Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException;

    /**
     * Deletes a file or an empty directory. Deleting what is not there succeeds, so a retried
     * delete is harmless.
     */
    void delete(SyncPath path) throws IOException;

    /** Creates a directory and any missing parents; succeeds if it already exists. */
    void makeDirectories(SyncPath directory) throws IOException;

    /**
     * This target as an optional ability ({@link ServerSideCopy}, {@link ServerSideMove},
     * {@link Appender}, {@link ModTimeSetter}, {@link Hasher}, {@link RecursiveLister},
     * {@link ConditionalDeleter}), if it
     * has it. Wrappers override this to pass their delegate's abilities on.
     */
    default <T> Optional<T> ability(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }
}
