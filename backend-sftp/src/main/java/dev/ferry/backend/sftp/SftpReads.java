package dev.ferry.backend.sftp;

import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.SftpInputStreamAsync;

/**
 * Reads from any offset, pipelined: several READ requests are in flight at once (MINA's
 * asynchronous stream), so a download is not one round trip per 64 KiB. Errors after the open
 * come out of {@code read} mapped like every other.
 */
final class SftpReads {

    private final Remote remote;

    SftpReads(Remote remote) {
        this.remote = remote;
    }

    InputStream open(SyncPath path, long offset) throws IOException {
        String action = "read " + remote.where(path);
        String abs = remote.abs(path);
        Sessions.Lease lease = remote.sessions.transfer();
        SftpClient sftp = lease.sftp;
        CloseableHandle handle = null;
        try {
            Attributes a = sftp.stat(abs);
            if (a.isDirectory()) {
                throw new PermanentSyncException("cannot " + action + ": it is a directory");
            }
            handle = sftp.open(abs, EnumSet.of(OpenMode.Read));
            long size = a.getSize();
            InputStream in = new SftpInputStreamAsync((AbstractSftpClient) sftp, Remote.CHUNK, Math.max(0, offset),
                    Math.max(size, offset), abs, handle);
            return new Mapped(in, action, lease);
        } catch (IOException | RuntimeException e) {
            lease.close();
            if (handle != null) {
                try {
                    handle.close();
                } catch (IOException ignored) {
                    // the open failed anyway
                }
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            IOException io = (IOException) e;
            if (SftpErrors.notFound(io)) {
                throw new NotFoundException("cannot " + action + ": no such file", e);
            }
            throw SftpErrors.io(io, action);
        }
    }

    /** Maps errors of the reads themselves. */
    private static final class Mapped extends FilterInputStream {
        private final String action;
        private final Sessions.Lease lease;

        Mapped(InputStream in, String action, Sessions.Lease lease) {
            super(in);
            this.action = action;
            this.lease = lease;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw SftpErrors.io(e, action);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw SftpErrors.io(e, action);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (IOException e) {
                // the content was read; a failed CLOSE of a read handle loses nothing
            } finally {
                lease.close();
            }
        }
    }
}
