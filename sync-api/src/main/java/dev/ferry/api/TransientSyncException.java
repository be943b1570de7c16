package dev.ferry.api;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that may go away by itself: a network error, a timeout, a 5xx, 429, 421 or
 * 423 Locked. The engine retries it with backoff.
 */
public class TransientSyncException extends SyncException {
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /** With a message. */
    public TransientSyncException(String message) {
        this(message, null, null);
    }

    /** With a message and a cause. */
    public TransientSyncException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** With the delay the server asked for (Retry-After). */
    public TransientSyncException(String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the server asked the client to wait, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
