package dev.ferry.backend.crypt;

import dev.ferry.api.PermanentSyncException;

/**
 * A stored file that does not decrypt: not in rclone's crypt format, truncated, changed, or
 * encrypted with another password. Names the file; retrying does not help. No plaintext of a
 * chunk that failed to authenticate is ever handed out.
 */
public final class DecryptionException extends PermanentSyncException {

    private static final long serialVersionUID = 1L;

    /** With a message that names the file. */
    public DecryptionException(String message) {
        super(message);
    }
}
