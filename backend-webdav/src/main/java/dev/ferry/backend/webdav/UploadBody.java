package dev.ferry.backend.webdav;

import dev.ferry.backend.support.ExactSizeInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import org.apache.http.entity.AbstractHttpEntity;

/**
 * One request body taken from a write's content, which {@link ExactSizeInputStream} holds to the
 * announced size. This adapter only adds what HTTP needs: a Content-Length, a chunk's share of
 * the content, and one look past the end before the last bytes go out, so a server never
 * receives a complete body for content that turns out longer than announced.
 */
final class UploadBody extends AbstractHttpEntity {

    private final ExactSizeInputStream in;
    private final long length;
    private final long limit;
    private final MessageDigest digest;
    private long sent;
    private boolean ended;

    /**
     * @param length the bytes of this request, or -1 to send up to {@code limit} bytes or to the end
     * @param digest updated with every byte sent, or null
     */
    UploadBody(ExactSizeInputStream in, long length, long limit, MessageDigest digest) {
        this.in = in;
        this.length = length;
        this.limit = limit;
        this.digest = digest;
        setContentType("application/octet-stream");
    }

    /** The whole content as one body. */
    static UploadBody whole(ExactSizeInputStream in) {
        return new UploadBody(in, in.expected(), Long.MAX_VALUE, null);
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

    /** The content's own failure (the source's, or its size check's) if that is why the request failed. */
    IOException contentFailure() {
        Throwable f = in.failure();
        if (f instanceof IOException e) {
            return e;
        }
        return f == null ? null : new IOException(f.getMessage(), f);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        long want = length >= 0 ? length : limit;
        byte[] buf = new byte[64 * 1024];
        while (sent < want) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, want - sent));
            if (n < 0) {
                ended = true; // a known size that ends early has already failed in the stream
                break;
            }
            if (atEnd()) {
                in.read(); // fails in the stream if there is more than announced
            }
            if (digest != null) {
                digest.update(buf, 0, n);
            }
            out.write(buf, 0, n);
            sent += n;
        }
        if (sent == 0 && atEnd()) {
            in.read(); // an empty file: still make sure the content is empty
        }
        out.flush();
    }

    private boolean atEnd() {
        return in.expected() >= 0 && in.count() == in.expected();
    }
}
