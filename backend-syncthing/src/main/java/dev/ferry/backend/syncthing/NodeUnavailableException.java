package dev.ferry.backend.syncthing;

import dev.ferry.api.TransientSyncException;

/** The node did not answer at all: not running, wrong port, or still starting. Worth retrying. */
public class NodeUnavailableException extends TransientSyncException {

    private static final long serialVersionUID = 1L;

    /** With the reason and the connection failure. */
    public NodeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
