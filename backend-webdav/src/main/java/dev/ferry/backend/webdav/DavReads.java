package dev.ferry.backend.webdav;

import dev.ferry.api.Entry;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import org.apache.http.Header;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;

/** Reads: GET, with {@code Range: bytes=N-} for an offset (a server that ignores it is skipped forward). */
final class DavReads {

    private final Dav dav;

    DavReads(Dav dav) {
        this.dav = dav;
    }

    InputStream open(SyncPath path, long offset) throws IOException {
        String url = dav.url(path, false);
        String action = "read " + dav.where(path);
        HttpGet get = new HttpGet(url);
        if (offset > 0) {
            get.setHeader("Range", "bytes=" + offset + "-");
        }
        CloseableHttpResponse r;
        try {
            r = dav.client.send(get);
        } catch (IOException e) {
            throw WebDavErrors.io(e, action, url, dav.options);
        }
        try {
            int code = r.getStatusLine().getStatusCode();
            if (code == 416) {
                r.close();
                return InputStream.nullInputStream();
            }
            if (code != 200 && code != 206) {
                throw WebDavErrors.status(r, action, url, dav.user());
            }
            Header type = r.getFirstHeader("Content-Type");
            if (type != null && type.getValue().toLowerCase(Locale.ROOT).startsWith("text/html")) {
                // Some servers (rclone serve) answer GET on a collection with an HTML index.
                Optional<Entry> e = dav.stat(path);
                if (e.isEmpty() || e.get().isDirectory()) {
                    throw new NotFoundException("cannot " + action + ": it is a directory, not a file");
                }
            }
            InputStream body = r.getEntity() == null ? InputStream.nullInputStream() : r.getEntity().getContent();
            if (code == 200 && offset > 0) {
                // The server ignored the range: skip to the offset ourselves.
                long skipped = body.skip(offset);
                while (skipped < offset && body.read() >= 0) {
                    skipped++;
                }
            }
            return new FilterInputStream(body) {
                @Override
                public int read() throws IOException {
                    try {
                        return super.read();
                    } catch (IOException e) {
                        throw WebDavErrors.io(e, action, url, dav.options);
                    }
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return super.read(b, off, len);
                    } catch (IOException e) {
                        throw WebDavErrors.io(e, action, url, dav.options);
                    }
                }

                @Override
                public void close() throws IOException {
                    // Closing before the end drops the connection instead of reading the rest.
                    r.close();
                }
            };
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }
}
