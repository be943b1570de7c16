package dev.ferry.backend.local;

import dev.ferry.api.Entry;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/** Copies and moves inside the root, by the file system itself. */
final class LocalCopies {

    private final LocalFiles fs;

    LocalCopies(LocalFiles fs) {
        this.fs = fs;
    }

    /** Copies through a temporary file and a rename, keeping the source's modification time. */
    Entry copy(SyncPath from, SyncPath to) throws IOException {
        Path source = fs.resolve(from, true, "copy");
        fs.requireRegularFile(from, source, "copy", LocalFiles.FOLLOW);
        Path target = fs.prepareFileDestination(to, "copy to");
        Path temp = target.getParent().resolve(TemporaryNames.newName(to.name()));
        boolean moved = false;
        try {
            Files.copy(source, temp, StandardCopyOption.COPY_ATTRIBUTES);
            // COPY_ATTRIBUTES keeps the time to the microsecond only; the engine compares to the nanosecond.
            Files.setLastModifiedTime(temp, Files.getLastModifiedTime(source));
            if (fs.options.fsync()) {
                try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } catch (IOException e) {
            throw fs.map(e, "copy " + fs.where(from) + " to", to);
        } finally {
            if (!moved) {
                LocalFiles.deleteQuietly(temp);
            }
        }
        if (fs.options.fsync()) {
            fs.fsyncDirectory(target.getParent(), to);
        }
        return fs.storedEntry(to, target, "copy to");
    }

    /** Renames a file or directory (the final name itself, never what a link there points to). */
    Entry move(SyncPath from, SyncPath to) throws IOException {
        if (from.isRoot() || to.isRoot()) {
            throw new PermanentSyncException("cannot move the root " + fs.root);
        }
        if (from.contains(to) && !from.equals(to)) {
            throw new PermanentSyncException("cannot move " + fs.where(from) + " into itself ('" + to + "')");
        }
        if (TemporaryNames.isTemporary(to.name())) {
            throw fs.reservedName(to, "move to");
        }
        Path source = fs.resolve(from, false, "move");
        BasicFileAttributes attrs = fs.attributes(from, source, "move", LocalFiles.NOFOLLOW);
        if (attrs.isSymbolicLink()) {
            throw new PermanentSyncException("cannot move " + fs.where(from) + ": it is a symbolic link");
        }
        Path target = fs.resolve(to, false, "move to");
        if (!from.equals(to)) {
            try {
                Files.createDirectories(target.getParent());
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw fs.map(e, "move " + fs.where(from) + " to", to);
            }
            if (fs.options.fsync()) {
                fs.fsyncDirectory(source.getParent(), from);
                fs.fsyncDirectory(target.getParent(), to);
            }
        }
        return fs.storedEntry(to, target, "move to");
    }
}
