package dev.ferry.api;

import java.io.IOException;
import java.io.InputStream;

/**
 * Ability: writes that must know the source entry, not only its bytes. A timeseries feed's content
 * is its raw points; its engine, interval and start time travel in the source's
 * {@linkplain Entry#version() version token}, and the destination checks them before it creates a
 * feed or adds points to one. Where a destination has this ability the engine calls it instead of
 * {@link SyncTarget#write} and {@link Appender#append}.
 */
public interface SourceAwareWriter {

    /**
     * Writes {@code content}, the whole of {@code source}, to {@code path}, as
     * {@link SyncTarget#write} does.
     */
    Entry write(SyncPath path, Entry source, InputStream content, WriteHints hints) throws IOException;

    /**
     * Appends {@code content}, the bytes of {@code source} from {@code expectedSize} on, to the
     * file at {@code path}, as {@link Appender#append} does; the target also checks that what it
     * holds is a prefix of {@code source} by its own rule (a feed's start time and interval).
     *
     * @throws PreconditionFailedException if the file's size is not {@code expectedSize}
     * @throws PermanentSyncException if what the target holds cannot be a prefix of {@code source}
     */
    Entry append(SyncPath path, Entry source, long expectedSize, InputStream content) throws IOException;
}
