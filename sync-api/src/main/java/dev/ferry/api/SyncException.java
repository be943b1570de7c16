package dev.ferry.api;

import java.io.IOException;

/**
 * A failure a target could classify. Subclasses say what the engine should do:
 * {@link TransientSyncException} retry, {@link PermanentSyncException} give up on this item,
 * {@link PreconditionFailedException} someone else changed the file: look again.
 *
 * <p>Messages name the path and the server, never a credential.
 */
public abstract class SyncException extends IOException {
    private static final long serialVersionUID = 1L;

    /** With a message. */
    protected SyncException(String message) {
        super(message);
    }

    /** With a message and a cause. */
    protected SyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
