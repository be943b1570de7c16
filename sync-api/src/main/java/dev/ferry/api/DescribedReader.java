package dev.ferry.api;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Ability: a read that also says what it read. Where listings leave the modification time out
 * ({@link Capabilities#listsModTimes()} false: S3 keeps it in per-object metadata, which the
 * response to a GET carries anyway), the engine copies such a file with one request instead of
 * a {@code stat} and a read.
 */
public interface DescribedReader {

    /**
     * Opens a file as {@link SyncTarget#open} does, with the entry the same response described.
     *
     * @throws NotFoundException if there is no such file
     */
    Read openDescribed(SyncPath path, long offset) throws IOException;

    /**
     * The content from the requested offset, and the whole file as the read found it: its full
     * size (not the remaining bytes), its time, version and hashes where the server gave them.
     *
     * @param entry the file as this read found it
     * @param content the bytes from the offset on; the caller closes this {@code Read}
     */
    record Read(Entry entry, InputStream content) implements Closeable {

        /** Checks both are there and the entry is a file. */
        public Read {
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(content, "content");
            if (!entry.isFile()) {
                throw new IllegalArgumentException("a read describes a file, not " + entry);
            }
        }

        @Override
        public void close() throws IOException {
            content.close();
        }
    }
}
