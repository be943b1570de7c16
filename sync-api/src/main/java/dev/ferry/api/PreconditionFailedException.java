package dev.ferry.api;

/**
 * The file was not as the operation expected (a conditional write lost a race, an append found
 * another size): someone else changed it. The engine looks at it again instead of overwriting.
 */
public class PreconditionFailedException extends SyncException {
    private static final long serialVersionUID = 1L;

    /** With a message. */
    public PreconditionFailedException(String message) {
        super(message);
    }

    /** With a message and a cause. */
    public PreconditionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
