package dev.ferry.backend.local;

import dev.ferry.api.Entry;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/** Changes in place: appending, setting a modification time, deleting, creating directories. */
final class LocalEdits {

    private final LocalFiles fs;

    LocalEdits(LocalFiles fs) {
        this.fs = fs;
    }

    /**
     * Appends after checking the size. Not atomic like a write: if the content fails half-way
     * the file is cut back to {@code expectedSize}, so a retry finds it as before.
     */
    Entry append(SyncPath path, long expectedSize, InputStream content) throws IOException {
        Path p = fs.resolve(path, true, "append to");
        fs.requireRegularFile(path, p, "append to", LocalFiles.FOLLOW);
        try (FileChannel out = FileChannel.open(p, StandardOpenOption.WRITE)) {
            long size = out.size();
            if (size != expectedSize) {
                throw new PreconditionFailedException("cannot append to " + fs.where(path)
                        + ": it has " + size + " bytes, expected " + expectedSize);
            }
            out.position(size);
            try {
                content.transferTo(Channels.newOutputStream(out));
                if (fs.options.fsync()) {
                    out.force(true);
                }
            } catch (IOException e) {
                try {
                    out.truncate(expectedSize);
                } catch (IOException t) {
                    e.addSuppressed(t);
                }
                throw e;
            }
        } catch (IOException e) {
            throw fs.map(e, "append to", path);
        }
        return fs.storedEntry(path, p, "append to");
    }

    Entry setModTime(SyncPath path, Instant modTime) throws IOException {
        Path p = fs.resolve(path, true, "set the modification time of");
        fs.attributes(path, p, "set the modification time of", LocalFiles.FOLLOW);
        try {
            Files.setLastModifiedTime(p, FileTime.from(modTime));
        } catch (IOException e) {
            throw fs.map(e, "set the modification time of", path);
        }
        return fs.storedEntry(path, p, "set the modification time of");
    }

    void setDirectoryMode(SyncPath path, int mode) throws IOException {
        Path p = fs.resolve(path, true, "set the mode of");
        if (!java.nio.file.Files.isDirectory(p, LocalFiles.NOFOLLOW)) {
            throw new NotFoundException("cannot set the mode of " + fs.where(path) + ": not a directory");
        }
        try {
            Files.setPosixFilePermissions(p, dev.ferry.api.PosixModes.permissions(mode));
        } catch (IOException e) {
            throw fs.map(e, "set the mode of", path);
        }
    }

    /** Deletes a file or an empty directory; what is absent counts as deleted. */
    void delete(SyncPath path) throws IOException {
        Path p = fs.resolve(path, false, "delete");
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            fs.deleteFailed(e, path);
        }
    }

    void makeDirectories(SyncPath directory) throws IOException {
        Path p = fs.resolve(directory, true, "create directory");
        try {
            Files.createDirectories(p);
        } catch (FileAlreadyExistsException e) {
            throw new PermanentSyncException("cannot create directory " + fs.where(directory)
                    + ": a file is in the way (" + e.getFile() + ")", e);
        } catch (IOException e) {
            throw fs.map(e, "create directory", directory);
        }
    }
}
