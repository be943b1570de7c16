package dev.ferry.api;

/** The credentials were accepted but do not allow this operation. */
public class PermissionDeniedException extends PermanentSyncException {
    private static final long serialVersionUID = 1L;

    /** With a message. */
    public PermissionDeniedException(String message) {
        super(message);
    }

    /** With a message and a cause. */
    public PermissionDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
