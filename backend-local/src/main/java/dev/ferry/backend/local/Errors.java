package dev.ferry.backend.local;

import dev.ferry.api.InsufficientStorageException;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PermissionDeniedException;
import dev.ferry.api.SyncException;
import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns java.nio's exceptions into the SPI's family, so the engine knows whether to retry. The
 * JDK reports most errno values only as a reason string (ENOSPC is a plain FileSystemException),
 * hence the text matching.
 */
final class Errors {

    private Errors() {}

    /** Where a path is, for messages: the relative path and the root. */
    static String where(SyncPath path, Path root) {
        return path.isRoot() ? "the root " + root : "'" + path + "' in " + root;
    }

    /**
     * The SPI exception for {@code e}, or {@code e} itself when it says nothing the engine can act
     * on (EIO and the like: the engine classifies those).
     */
    static IOException map(IOException e, String action, SyncPath path, Path root) {
        if (e instanceof SyncException) {
            return e;
        }
        String prefix = "cannot " + action + " " + where(path, root) + ": ";
        if (e instanceof NoSuchFileException) {
            return new NotFoundException(prefix + "not found", e);
        }
        if (e instanceof AccessDeniedException) {
            return new PermissionDeniedException(prefix + "permission denied" + file(e), e);
        }
        if (e instanceof DirectoryNotEmptyException) {
            return new PermanentSyncException(prefix + "directory not empty", e);
        }
        if (e instanceof FileAlreadyExistsException) {
            return new PermanentSyncException(prefix + "something is in the way" + file(e), e);
        }
        if (e instanceof NotDirectoryException) {
            return new NotFoundException(prefix + "not a directory" + file(e), e);
        }
        if (e instanceof FileSystemLoopException) {
            return new PermanentSyncException(prefix + "symbolic link loop", e);
        }
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (reason == null) {
            return e;
        }
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.contains("no space left") || r.contains("disk quota exceeded") || r.contains("not enough space")) {
            return new InsufficientStorageException(prefix + reason, e);
        }
        if (r.contains("read-only file system")) {
            return new PermissionDeniedException(prefix + reason, e);
        }
        if (r.contains("not a directory")) {
            // A file stands where a parent directory should be: the path cannot exist.
            return new NotFoundException(prefix + "a file is in the way of a parent directory", e);
        }
        if (r.contains("is a directory")) {
            return new PermanentSyncException(prefix + "it is a directory", e);
        }
        if (r.contains("file name too long") || r.contains("name too long")) {
            return new PermanentSyncException(prefix + "name too long for this file system", e);
        }
        return e;
    }

    private static String file(IOException e) {
        if (e instanceof FileSystemException fse && fse.getFile() != null) {
            return " (" + fse.getFile() + ")";
        }
        return "";
    }
}
