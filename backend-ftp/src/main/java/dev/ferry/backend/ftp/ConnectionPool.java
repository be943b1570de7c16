package dev.ferry.backend.ftp;

import dev.ferry.api.TransientSyncException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * At most {@code connections} logged-in control connections, one per concurrent operation.
 * A connection idle for a while is checked with NOOP before it is handed out; a broken one is
 * closed instead of being returned.
 */
final class ConnectionPool implements AutoCloseable {

    private static final long CHECK_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final FtpOptions options;
    private final Tls.Contexts tls;
    final ServerFeatures features;
    private final Semaphore permits;
    private final Deque<FtpConnection> idle = new ArrayDeque<>();
    private volatile boolean closed;

    ConnectionPool(FtpOptions options, Tls.Contexts tls, ServerFeatures features) {
        this.options = options;
        this.tls = tls;
        this.features = features;
        this.permits = new Semaphore(options.connections(), true);
    }

    /** A connection for one operation; give it back with {@link #release}. */
    FtpConnection borrow() throws IOException {
        if (closed) {
            throw new IOException("the target " + options.description() + " is closed");
        }
        try {
            if (!permits.tryAcquire(options.timeout().toMillis() * 10, TimeUnit.MILLISECONDS)) {
                throw new TransientSyncException("no FTP connection free to " + options.description() + " in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a connection");
        }
        try {
            while (true) {
                FtpConnection c;
                synchronized (idle) {
                    c = idle.pollFirst();
                }
                if (c == null) {
                    return FtpConnection.open(options, tls, features);
                }
                if (c.isBroken()) {
                    c.close();
                    continue;
                }
                if (c.idleNanos() > CHECK_AFTER_IDLE_NANOS) {
                    try {
                        if (c.command("NOOP", null) != 200 && c.client.getReplyCode() / 100 != 2) {
                            c.markBroken();
                        }
                    } catch (IOException e) {
                        c.markBroken();
                    }
                    if (c.isBroken()) {
                        c.close();
                        continue;
                    }
                }
                return c;
            }
        } catch (IOException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Gives a connection back: pooled if healthy, closed otherwise. */
    void release(FtpConnection c) {
        if (c == null) {
            return;
        }
        try {
            if (closed || c.isBroken()) {
                c.close();
            } else {
                c.touch();
                synchronized (idle) {
                    idle.addFirst(c);
                }
            }
        } finally {
            permits.release();
        }
    }

    /** Closes a connection that is out of step with the server and frees its slot. */
    void discard(FtpConnection c) {
        if (c == null) {
            return;
        }
        c.markBroken();
        release(c);
    }

    @Override
    public void close() {
        closed = true;
        while (true) {
            FtpConnection c;
            synchronized (idle) {
                c = idle.pollFirst();
            }
            if (c == null) {
                return;
            }
            c.close();
        }
    }
}
