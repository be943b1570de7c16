package dev.ferry.backend.ftp;

import static dev.ferry.backend.ftp.FtpSession.replyError;

import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.TransientSyncException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads: RETR from an offset (REST), on a connection held until the stream is closed, with
 * keep-alive NOOPs on the control connection while the data flows.
 */
final class FtpDownload {

    private final FtpSession session;

    FtpDownload(FtpSession session) {
        this.session = session;
    }

    /** Opens for reading at {@code offset} (REST); an offset at or past the end gives an empty stream. */
    InputStream open(SyncPath path, long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        String p = session.abs(path);
        String action = "read " + session.where(path);
        ConnectionPool pool = session.pool;
        for (int attempt = 0; ; attempt++) {
            FtpConnection c = pool.borrow();
            try {
                c.client.setRestartOffset(offset);
                InputStream in = c.client.retrieveFileStream(p);
                c.client.setRestartOffset(0);
                if (in == null) {
                    int code = c.client.getReplyCode();
                    String reply = c.client.getReplyString();
                    if (offset > 0 && code >= 500) {
                        String size = c.client.getSize(p);
                        if (size != null && Long.parseLong(size.trim()) <= offset) {
                            pool.release(c);
                            return InputStream.nullInputStream();
                        }
                    }
                    throw code == 550 || code == 450
                            ? new NotFoundException("cannot " + action + ": not a readable file (" + reply.trim() + ")")
                            : replyError(c, action); // released below
                }
                c.beginTransfer();
                return new DownloadStream(c, in, action);
            } catch (SyncException e) {
                boolean dropped = c.isBroken();
                pool.release(c);
                if (attempt == 0 && dropped && e instanceof TransientSyncException) {
                    continue;
                }
                throw e;
            } catch (IOException e) {
                pool.discard(c);
                IOException mapped = FtpErrors.io(e, action);
                if (attempt == 0 && mapped instanceof TransientSyncException) {
                    continue;
                }
                throw mapped;
            } catch (RuntimeException e) {
                pool.discard(c);
                throw e;
            }
        }
    }

    /** A RETR's data stream; closing it completes the command and gives the connection back. */
    private final class DownloadStream extends FilterInputStream {
        private final FtpConnection c;
        private final String action;
        private boolean eof;
        private boolean closed;

        DownloadStream(FtpConnection c, InputStream in, String action) {
            super(in);
            this.c = c;
            this.action = action;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            if (eof) {
                return -1;
            }
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                c.markBroken();
                throw FtpErrors.io(e, action);
            }
            if (n < 0) {
                eof = true;
                finish(true);
            } else {
                c.keepAlive(session.options.keepAlive());
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
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

        /** At the end: the server must confirm the transfer, or the bytes read may be truncated. */
        private void finish(boolean atEnd) throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                in.close();
                if (!c.isBroken()) {
                    boolean ok = c.completeTransfer();
                    if (!ok && atEnd) {
                        throw replyError(c, action);
                    }
                }
                session.pool.release(c);
            } catch (SyncException e) {
                session.pool.release(c);
                throw e;
            } catch (IOException e) {
                session.pool.discard(c);
                if (atEnd) {
                    throw FtpErrors.io(e, action);
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                if (!eof) {
                    // Stopped early: the server answers 426 or 226 depending on timing; either is fine.
                    try {
                        in.close();
                    } catch (IOException ignored) {
                        c.markBroken();
                    }
                }
                finish(false);
            }
        }
    }
}
