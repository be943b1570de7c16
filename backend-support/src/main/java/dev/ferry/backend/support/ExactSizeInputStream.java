package dev.ferry.backend.support;

import dev.ferry.api.PermanentSyncException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The content of a write, held to the size its hints announced: a source that delivers more or
 * fewer bytes fails the read with a {@link PermanentSyncException} naming both counts, so a
 * backend never publishes a file of the wrong length (the one check every upload path needs, in
 * one place). It also tells a backend what it needs to decide about a failure: whether any byte
 * was read yet (a request that sent nothing may be retried on a fresh connection) and whether the
 * failure came from the source rather than the server.
 *
 * <p>{@link #close()} does not close the wrapped stream: the engine owns the content it passes to
 * {@code write}.
 */
public final class ExactSizeInputStream extends FilterInputStream {

    private final long expected;
    private final String action;
    private long count;
    private boolean started;
    private Throwable failure;
    private boolean sizeMismatch;

    /**
     * @param in the content
     * @param expected the announced size, or -1 when unknown (then nothing is checked)
     * @param action what is being done, for messages ({@code "write a/b.txt on ftp://host/"})
     */
    public ExactSizeInputStream(InputStream in, long expected, String action) {
        super(in);
        this.expected = expected;
        this.action = action;
    }

    /** The announced size, or -1. */
    public long expected() {
        return expected;
    }

    /** Whether a read was attempted. */
    public boolean started() {
        return started;
    }

    /** Bytes delivered so far. */
    public long count() {
        return count;
    }

    /**
     * The exception this stream threw from a read (the source's own, or the size check's), or
     * null: a backend tells a source fault from a server fault with it. After
     * {@link #transferTo}, only the size check's is known ({@link #sizeMismatch()}).
     */
    public Throwable failure() {
        return failure;
    }

    /** Whether {@code e} is (or wraps) the failure this stream threw. */
    public boolean causedBy(Throwable e) {
        return failure != null && (e == failure || e.getCause() == failure);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        started = true;
        int want = len;
        if (expected >= 0) {
            // Read one byte past the announced size at most, to notice a longer stream.
            want = (int) Math.min(len, Math.max(1, expected - count + 1));
        }
        int n;
        try {
            n = in.read(b, off, want);
        } catch (IOException | RuntimeException e) {
            failure = e;
            throw e;
        }
        if (n > 0) {
            count += n;
            if (expected >= 0 && count > expected) {
                throw fail(tooLong());
            }
        } else if (n < 0 && expected >= 0 && count < expected) {
            throw fail(tooShort());
        }
        return n;
    }

    /**
     * Hands the content to {@code out} in one go (the wrapped stream's own {@code transferTo}, an
     * in-kernel copy from a local file where it has one), then checks the count: a longer or
     * shorter source fails here, before the backend publishes anything.
     */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        started = true;
        // A failure here may be the source's or the output's: not recorded as the source's.
        long n = in.transferTo(out);
        count += n;
        if (expected >= 0 && count != expected) {
            throw fail(count > expected ? tooLong() : tooShort());
        }
        return n;
    }

    private PermanentSyncException tooLong() {
        return new PermanentSyncException("cannot " + action + ": the source delivered more than the " + expected
                + " bytes announced; nothing was written");
    }

    private PermanentSyncException tooShort() {
        return new PermanentSyncException("cannot " + action + ": the source ended after " + count + " of the "
                + expected + " bytes announced; nothing was written");
    }

    /** Whether this stream failed its size check (rather than the source failing a read). */
    public boolean sizeMismatch() {
        return sizeMismatch;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipping would bypass the count; read instead.
        byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
        long left = n;
        while (left > 0) {
            int r = read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                break;
            }
            left -= r;
        }
        return n - left;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /**
     * After the content was sent: fails if fewer bytes than announced went (a sender that stopped
     * reading early, or a source that was not read to its end).
     */
    public void checkComplete() throws IOException {
        if (expected >= 0 && count != expected) {
            throw fail(new PermanentSyncException("cannot " + action + ": sent " + count + " of the " + expected
                    + " bytes announced; nothing was written"));
        }
    }

    private IOException fail(IOException e) {
        failure = e;
        sizeMismatch = true;
        return e;
    }

    @Override
    public void close() {
        // The caller owns the content stream: consumed here, never closed.
    }
}
