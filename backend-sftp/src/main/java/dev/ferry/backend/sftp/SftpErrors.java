package dev.ferry.backend.sftp;

import dev.ferry.api.InsufficientStorageException;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PermissionDeniedException;
import dev.ferry.api.SyncException;
import dev.ferry.api.TransientSyncException;
import java.io.IOException;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Maps what the SSH and SFTP layers throw to the engine's error family: a missing path, a
 * refusal, a full disk or quota are permanent and say so; a dropped connection or a timeout is
 * transient (the engine retries). Messages name the action, never a credential.
 */
final class SftpErrors {

    private SftpErrors() {}

    /** Whether {@code e} is the server saying "no such file". */
    static boolean notFound(IOException e) {
        return e instanceof SftpException s && s.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE;
    }

    /** The status code of an SFTP refusal, or -1 for anything else. */
    static int status(IOException e) {
        return e instanceof SftpException s ? s.getStatus() : -1;
    }

    /**
     * Whether {@code e} says the connection under the channel was closed (not a status the server
     * answered): the session it ran on is dead.
     */
    static boolean connectionClosed(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SftpException) {
                return false;
            }
            if (c instanceof java.nio.channels.ClosedChannelException || c instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    static IOException io(IOException e, String action) {
        if (e instanceof SyncException) {
            return e;
        }
        if (e instanceof SftpException s) {
            String said = "cannot " + action + ": " + describe(s);
            return switch (s.getStatus()) {
                case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH -> new NotFoundException(said, e);
                case SftpConstants.SSH_FX_PERMISSION_DENIED, SftpConstants.SSH_FX_WRITE_PROTECT,
                        SftpConstants.SSH_FX_CANNOT_DELETE, SftpConstants.SSH_FX_LOCK_CONFLICT ->
                        new PermissionDeniedException(said, e);
                case SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, SftpConstants.SSH_FX_QUOTA_EXCEEDED ->
                        new InsufficientStorageException(said, e);
                case SftpConstants.SSH_FX_NO_CONNECTION, SftpConstants.SSH_FX_CONNECTION_LOST ->
                        new TransientSyncException(said, e);
                default -> new PermanentSyncException(said, e);
            };
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new TransientSyncException("cannot " + action + ": connection problem (" + m + ")", e);
    }

    private static String describe(SftpException s) {
        String name = SftpConstants.getStatusName(s.getStatus());
        String m = s.getMessage();
        return m == null || m.isBlank() ? name : m + " (" + name + ")";
    }
}
