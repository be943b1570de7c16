package dev.ferry.backend.webdav;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import org.apache.http.entity.AbstractHttpEntity;

/**
 * A request body streamed from the caller's content, at most {@code limit} bytes of it, checked
 * against the announced length: a stream that ends early or runs long fails the request before
 * its last byte is sent, so the server never completes a short or long file. The content's own
 * failure is kept apart, to be thrown as it was rather than as a network error.
 */
final class SizedEntity extends AbstractHttpEntity {

    private final InputStream in;
    private final long length;
    private final long limit;
    private final boolean checkEnd;
    private final MessageDigest digest;
    private long sent;
    private IOException contentFailure;

    /**
     * @param length the exact length to send, or -1 to send up to {@code limit} bytes or to the end
     * @param checkEnd with a known length, whether the content must end right after it
     * @param digest updated with every byte sent, or null
     */
    SizedEntity(InputStream in, long length, long limit, boolean checkEnd, MessageDigest digest) {
        this.in = in;
        this.length = length;
        this.limit = limit;
        this.checkEnd = checkEnd;
        this.digest = digest;
        setContentType("application/octet-stream");
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    @Override
    public long getContentLength() {
        return length;
    }

    @Override
    public InputStream getContent() {
        throw new UnsupportedOperationException("a streamed upload body");
    }

    @Override
    public boolean isStreaming() {
        return true;
    }

    /** Bytes sent so far. */
    long sent() {
        return sent;
    }

    /** Whether the content ended before the limit (only for an unknown length). */
    boolean reachedEnd() {
        return ended;
    }

    private boolean ended;

    /** The failure of the content itself, if that is why the request failed. */
    IOException contentFailure() {
        return contentFailure;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        long want = length >= 0 ? length : limit;
        byte[] buf = new byte[64 * 1024];
        while (sent < want) {
            int n;
            try {
                n = in.read(buf, 0, (int) Math.min(buf.length, want - sent));
            } catch (IOException e) {
                contentFailure = e;
                throw e;
            }
            if (n < 0) {
                if (length >= 0) {
                    contentFailure = new IOException("the content ended after " + sent + " of the announced " + length + " bytes");
                    throw contentFailure;
                }
                ended = true;
                break;
            }
            if (length >= 0 && checkEnd && sent + n == length) {
                // Look past the end before the last bytes go out: the server must never receive
                // a complete body for content that turns out longer than announced.
                requireEnd();
            }
            if (digest != null) {
                digest.update(buf, 0, n);
            }
            out.write(buf, 0, n);
            sent += n;
        }
        if (length == 0 && checkEnd) {
            requireEnd();
        }
        out.flush();
    }

    private void requireEnd() throws IOException {
        int extra;
        try {
            extra = in.read();
        } catch (IOException e) {
            contentFailure = e;
            throw e;
        }
        if (extra >= 0) {
            contentFailure = new IOException("the content is longer than the announced " + length + " bytes");
            throw contentFailure;
        }
    }
}
