package dev.ferry.api;

/** The server refused the credentials. The message names the server and user, never the secret. */
public class AuthenticationException extends PermanentSyncException {
    private static final long serialVersionUID = 1L;

    /** With a message. */
    public AuthenticationException(String message) {
        super(message);
    }

    /** With a message and a cause. */
    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
