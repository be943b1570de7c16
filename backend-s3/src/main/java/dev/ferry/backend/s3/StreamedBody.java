package dev.ferry.backend.s3;

import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.TransientSyncException;
import dev.ferry.backend.support.ExactSizeInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * The body of a streamed PUT, as the SDK asks for it ({@link #newStream()} per attempt): the
 * content itself, exactly {@code size} bytes of it, counted and held to that size by an
 * {@link ExactSizeInputStream}. {@code RequestBody.fromInputStream} was not used: on a stream
 * without mark/reset (a file's) its "replay" for the SDK's second attempt hands over the stream
 * where the first attempt left it, which would send the rest of the content as if it were the
 * whole.
 *
 * <p>The SDK sends a request again only when it met a dead pooled connection (see
 * {@link ClientSetup#isDeadConnection}). The first {@value #REPLAYABLE} bytes taken from the
 * content are kept, so such a retry gets the whole body again from its start as long as no more
 * was taken: a small body always (as a buffered one would be sent again), a large one when the
 * connection failed before much of it went out. Otherwise the retry fails, and the attempt goes
 * to the engine, which reads the source afresh. (Apache HttpClient takes a connection closed
 * before {@code 100 Continue} came for "no answer yet" and sends the body into it, so a large
 * body may be well under way when the failure shows.)
 *
 * <p>Reads never go past {@code size}; content that ends before it, or still has bytes when it
 * is reached (checked before the last bytes are handed over), fails the read, so the HTTP client
 * aborts the request with its body incomplete and nothing is stored. The failure (or one of the
 * source's own) is kept for {@link #failure()}: the SDK wraps what the stream throws.
 */
final class StreamedBody implements ContentStreamProvider {
    /** The most of a body kept to be sent again: what the SDK's own mark/reset keeps, 128 KiB. */
    static final int REPLAYABLE = 128 << 10;

    /** The content, counted: its count is what was taken from the source. */
    private final ExactSizeInputStream content;
    private final long size;
    private final String what;
    private final InputStream stream = new Stream();
    /** The first bytes taken from the content, for a retry. */
    private final byte[] head;
    /** Bytes handed to the current attempt. */
    private long position;
    private volatile IOException failure;

    StreamedBody(InputStream content, long size, String what) {
        this.content = new ExactSizeInputStream(content, size, "write " + what);
        this.size = size;
        this.what = what;
        this.head = new byte[(int) Math.min(size, REPLAYABLE)];
    }

    @Override
    public synchronized InputStream newStream() {
        if (failure != null) {
            throw new UncheckedIOException(failure);
        }
        long taken = content.count();
        if (taken > head.length) {
            failure = new TransientSyncException("cannot write " + what + ": the request was to be sent again "
                    + "after " + taken + " bytes of its body had been read from a source that cannot be read "
                    + "again; nothing was published");
            throw new UncheckedIOException(failure);
        }
        position = 0;
        return stream;
    }

    /** What failed the body: the content's length, the source itself, or a replay; null if nothing did. */
    IOException failure() {
        return failure;
    }

    /** Bytes of the body handed to the current attempt. */
    synchronized long delivered() {
        return position;
    }

    /** After a PUT the store took: the whole content went (a client that stopped short would be a bug). */
    void checkWhole() throws IOException {
        if (delivered() != size) {
            throw new PermanentSyncException("cannot write " + what + ": " + delivered() + " bytes of the "
                    + size + " announced were sent");
        }
        content.checkComplete();
    }

    private final class Stream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            synchronized (StreamedBody.this) {
                long remaining = size - position;
                if (remaining == 0) {
                    return -1;
                }
                if (len == 0) {
                    return 0;
                }
                long taken = content.count();
                if (position < taken) {
                    // Sent again: what the last attempt took, from the kept head.
                    int n = (int) Math.min(len, taken - position);
                    System.arraycopy(head, (int) position, b, off, n);
                    position += n;
                    return n;
                }
                int n;
                try {
                    // A content that ends early fails this read (ExactSizeInputStream).
                    n = content.read(b, off, (int) Math.min(len, remaining));
                    if (n == remaining) {
                        // The last bytes: handed over only once the content is seen to end here.
                        content.read();
                    }
                } catch (PermanentSyncException e) {
                    if (content.count() > size) {
                        throw fail(new PermanentSyncException("cannot write " + what
                                + ": the content is longer than the " + size + " bytes announced", e));
                    }
                    throw fail(e);
                } catch (IOException e) {
                    throw fail(e);
                }
                if (taken < head.length) {
                    System.arraycopy(b, off, head, (int) taken, (int) Math.min(n, head.length - taken));
                }
                position += n;
                return n;
            }
        }

        @Override
        public int available() {
            return 0;
        }

        @Override
        public void close() {
            // The content belongs to the caller (the HTTP client closes the body it has sent).
        }
    }

    private IOException fail(IOException e) {
        failure = e;
        return e;
    }
}
