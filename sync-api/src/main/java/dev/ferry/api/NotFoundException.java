package dev.ferry.api;

/** Nothing is at the path (or the bucket, share or directory named does not exist). */
public class NotFoundException extends PermanentSyncException {
    private static final long serialVersionUID = 1L;

    /** With a message. */
    public NotFoundException(String message) {
        super(message);
    }

    /** With a message and a cause. */
    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
