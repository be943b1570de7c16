package dev.ferry.backend.ftp;

import dev.ferry.api.SyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.TransientSyncException;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * What every part of an {@link FtpTarget} shares: the options, the connection pool, the server's
 * features, the root's absolute path, and the one way to run an operation on a pooled
 * connection ({@link #withConnection}). Paths on the server are absolute strings built here.
 */
final class FtpSession {

    final FtpOptions options;
    final ConnectionPool pool;
    final ServerFeatures features;
    /** The root's absolute path on the server; empty for "/". */
    private final String base;

    FtpSession(FtpOptions options, ConnectionPool pool, String base) {
        this.options = options;
        this.pool = pool;
        this.features = pool.features;
        this.base = base;
    }

    String description() {
        return options.description();
    }

    /** The absolute path of {@code p} on the server. */
    String abs(SyncPath p) {
        if (p.isRoot()) {
            return base.isEmpty() ? "/" : base;
        }
        return base + "/" + p;
    }

    static String child(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    static String parentOf(String abs) {
        int i = abs.lastIndexOf('/');
        return i <= 0 ? "/" : abs.substring(0, i);
    }

    /** "'a/b' on ftp://host/root", for messages. */
    String where(SyncPath p) {
        return (p.isRoot() ? "the root" : "'" + p + "'") + " on " + description();
    }

    /** One operation on one connection. */
    @FunctionalInterface
    interface Op<T> {
        T run(FtpConnection c) throws IOException;
    }

    /**
     * Runs {@code op} on a pooled connection. A connection that failed is closed, not pooled;
     * an idempotent operation is tried once more on a fresh connection when the first one was
     * dropped (421, reset, closed while idle).
     */
    <T> T withConnection(String action, boolean idempotent, Op<T> op) throws IOException {
        for (int attempt = 0; ; attempt++) {
            FtpConnection c = pool.borrow();
            try {
                T result = op.run(c);
                pool.release(c);
                return result;
            } catch (SyncException e) {
                boolean dropped = c.isBroken();
                pool.release(c);
                if (idempotent && attempt == 0 && dropped && e instanceof TransientSyncException) {
                    continue;
                }
                throw e;
            } catch (IOException e) {
                pool.discard(c);
                IOException mapped = FtpErrors.io(e, action);
                if (idempotent && attempt == 0 && mapped instanceof TransientSyncException) {
                    continue;
                }
                throw mapped;
            } catch (RuntimeException e) {
                pool.discard(c);
                throw e;
            }
        }
    }

    /** The last reply as an exception; a 421 or a vsftpd "OOPS" marks the connection broken. */
    static IOException replyError(FtpConnection c, String action) {
        int code = c.client.getReplyCode();
        String reply = c.client.getReplyString();
        if (code == 421 || reply != null && reply.contains("OOPS")) {
            c.markBroken();
        }
        return FtpErrors.reply(code, reply, action);
    }

    /** DELE, ignoring a refusal; a dropped connection is marked broken. */
    static void deleteQuietly(FtpConnection c, String p) {
        try {
            c.client.deleteFile(p);
        } catch (IOException e) {
            c.markBroken();
        }
    }

    static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }
}
