package dev.ferry.core;

import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.TransientSyncException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/** Tells transient failures from permanent ones, for errors a backend did not classify itself. */
final class Errors {

    private Errors() {}

    /**
     * Whether retrying may help. The first classified exception in the cause chain decides (a
     * backend's own verdict wins); unclassified network failures count as transient, anything
     * else as permanent.
     */
    static boolean isTransient(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TransientSyncException) {
                return true;
            }
            if (c instanceof PermanentSyncException || c instanceof PreconditionFailedException) {
                return false;
            }
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SocketTimeoutException
                    || c instanceof ConnectException
                    || c instanceof NoRouteToHostException
                    || c instanceof UnknownHostException
                    || c instanceof SocketException
                    || c instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    /** The wait a server asked for, if the failure carries one. */
    static Optional<Duration> retryAfter(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TransientSyncException ts) {
                return ts.retryAfter();
            }
        }
        return Optional.empty();
    }

    /** A one-line description: the message, or the type when there is none. */
    static String describe(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        if (t instanceof dev.ferry.api.SyncException) {
            return m;
        }
        return t.getClass().getSimpleName() + ": " + m;
    }
}
