package dev.ferry.api;

/**
 * A failure that retrying will not fix: bad credentials, no permission, not found, bad input,
 * no space left. The engine reports it and goes on with other files.
 */
public class PermanentSyncException extends SyncException {
    private static final long serialVersionUID = 1L;

    /** With a message. */
    public PermanentSyncException(String message) {
        super(message);
    }

    /** With a message and a cause. */
    public PermanentSyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
