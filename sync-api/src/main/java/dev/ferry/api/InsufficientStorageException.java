package dev.ferry.api;

/** The target is full or over quota (disk full, FTP 452/552, WebDAV 507): nothing partial was left visible. */
public class InsufficientStorageException extends PermanentSyncException {
    private static final long serialVersionUID = 1L;

    /** With a message. */
    public InsufficientStorageException(String message) {
        super(message);
    }

    /** With a message and a cause. */
    public InsufficientStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
