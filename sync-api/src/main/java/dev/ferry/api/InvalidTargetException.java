package dev.ferry.api;

/** A target location or its options are wrong: a malformed URI, an unknown scheme, a bad option value. */
public class InvalidTargetException extends PermanentSyncException {
    private static final long serialVersionUID = 1L;

    /** With a message. */
    public InvalidTargetException(String message) {
        super(message);
    }

    /** With a message and a cause. */
    public InvalidTargetException(String message, Throwable cause) {
        super(message, cause);
    }
}
