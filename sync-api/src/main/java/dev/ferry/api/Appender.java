package dev.ferry.api;

import java.io.IOException;
import java.io.InputStream;

/** Ability: add bytes to the end of an existing file (FTP APPE, local append, feed upload). */
public interface Appender {
    /**
     * Appends {@code content} to the file at {@code path}, which must currently be exactly
     * {@code expectedSize} bytes long.
     *
     * @throws PreconditionFailedException if the file's size is not {@code expectedSize}
     * @throws NotFoundException if there is no file at {@code path}
     */
    Entry append(SyncPath path, long expectedSize, InputStream content) throws IOException;
}
