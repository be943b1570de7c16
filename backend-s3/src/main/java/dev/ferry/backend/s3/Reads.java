package dev.ferry.backend.s3;

import dev.ferry.api.DescribedReader.Read;
import dev.ferry.api.Entry;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.TransientSyncException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Reads: one streaming GET from an offset, and the same GET describing the file it reads. */
final class Reads {

    private final Bucket b;
    private final ObjectInfo info;

    Reads(Bucket b, ObjectInfo info) {
        this.b = b;
        this.info = info;
    }

    InputStream open(SyncPath path, long offset) throws IOException {
        ResponseInputStream<GetObjectResponse> in = get(path, offset);
        return in == null ? InputStream.nullInputStream() : new AbortingStream(in, b.at(path));
    }

    /**
     * One GET, and the file as its response describes it, built as {@link ObjectInfo#stat} builds
     * it from a HEAD: the same headers come with both.
     */
    Read openDescribed(SyncPath path, long offset) throws IOException {
        ResponseInputStream<GetObjectResponse> in = get(path, offset);
        if (in == null) {
            // At or past the end: no body, no headers to tell the file by; a HEAD does.
            Entry e = info.stat(path).filter(Entry::isFile)
                    .orElseThrow(() -> new NotFoundException("cannot open " + b.at(path) + ": no such file"));
            return new Read(e, InputStream.nullInputStream());
        }
        GetObjectResponse r = in.response();
        long remaining = r.contentLength() == null ? 0 : r.contentLength();
        // The whole file's size: a ranged answer's Content-Range total (bytes 100-199/200),
        // else (no range asked, or a store that ignored it) the Content-Length.
        long size = r.contentRange() == null ? remaining
                : totalOfContentRange(r.contentRange()).orElse(offset + remaining);
        Entry e = info.fileEntry(path, size, r.metadata(), r.eTag(), r.lastModified());
        return new Read(e, new AbortingStream(in, b.at(path)));
    }

    /** The total of a Content-Range ({@code bytes 100-199/200}); empty when absent or {@code *}. */
    static Optional<Long> totalOfContentRange(String contentRange) {
        int slash = contentRange.lastIndexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(contentRange.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * GETs a file from {@code offset} on; null when the offset is at or past its end (416). A
     * store that ignores the Range (200, no Content-Range) has the bytes before it skipped.
     */
    private ResponseInputStream<GetObjectResponse> get(SyncPath path, long offset) throws IOException {
        if (path.isRoot()) {
            throw new PermanentSyncException("cannot open the root of " + b.where + ": it is a directory");
        }
        GetObjectRequest.Builder req = GetObjectRequest.builder().bucket(b.name).key(b.key(path));
        if (offset > 0) {
            req.range("bytes=" + offset + "-");
        }
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = b.client.getObject(req.build());
        } catch (NoSuchKeyException e) {
            throw new NotFoundException("cannot open " + b.at(path) + ": no such file", e);
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                return null; // offset at or past the end
            }
            if (e.statusCode() == 404) {
                throw new NotFoundException("cannot open " + b.at(path) + ": no such file", e);
            }
            throw S3Errors.map(e, "open", b.at(path));
        } catch (SdkException e) {
            throw S3Errors.map(e, "open", b.at(path));
        }
        if (offset > 0 && in.response().contentRange() == null) {
            try {
                in.skipNBytes(offset);
            } catch (IOException | RuntimeException e) {
                in.abort();
                throw e instanceof IOException io ? io : S3Errors.map(e, "open", b.at(path));
            }
        }
        return in;
    }

    /**
     * Aborts the connection when closed before the end, rather than reading the rest to reuse it;
     * a body cut short on the way (the client's "premature end of Content-Length delimited message
     * body", a reset) is a transient failure the engine retries, not a verdict on the file.
     */
    private static final class AbortingStream extends FilterInputStream {
        private final ResponseInputStream<?> response;
        private final String where;
        private boolean eof;

        AbortingStream(ResponseInputStream<?> response, String where) {
            super(response);
            this.response = response;
            this.where = where;
        }

        @Override
        public int read() throws IOException {
            try {
                int c = super.read();
                eof |= c < 0;
                return c;
            } catch (IOException e) {
                throw lost(e);
            }
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            try {
                int n = super.read(buf, off, len);
                eof |= n < 0;
                return n;
            } catch (IOException e) {
                throw lost(e);
            }
        }

        private IOException lost(IOException e) {
            if (e instanceof dev.ferry.api.SyncException || e instanceof java.io.InterruptedIOException
                    && !(e instanceof java.net.SocketTimeoutException)) {
                return e;
            }
            return new TransientSyncException("cannot read " + where + ": the connection failed mid-body ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }

        @Override
        public void close() throws IOException {
            if (!eof) {
                response.abort();
            }
            super.close();
        }
    }
}
