package dev.ferry.backend.vfs;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.commons.vfs2.Capability;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;
import org.apache.commons.vfs2.FileType;
import org.apache.commons.vfs2.NameScope;

/** The root FileObject, how a SyncPath resolves under it, and the one way to build an Entry. */
final class VfsRoot {

    private final FileObject root;

    VfsRoot(FileObject root) {
        this.root = root;
    }

    FileObject root() {
        return root;
    }

    /** Resolves segment by segment, so no name can climb out of the root. */
    FileObject resolve(SyncPath path) throws FileSystemException {
        FileObject f = root;
        for (String segment : path.segments()) {
            f = f.resolveFile(encode(segment), NameScope.CHILD);
        }
        return f;
    }

    /** A child of a resolved folder by its plain name. */
    static FileObject child(FileObject folder, String name) throws FileSystemException {
        return folder.resolveFile(encode(name), NameScope.CHILD);
    }

    private static String encode(String segment) {
        // VFS parses its own escapes; % and the URI-special characters must not be read as such.
        StringBuilder sb = new StringBuilder();
        for (char c : segment.toCharArray()) {
            if (c == '%' || c == '#' || c == '?' || c == '!' || c == ' ') {
                sb.append('%').append(String.format("%02X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    boolean has(Capability capability) {
        return root.getFileSystem().hasCapability(capability);
    }

    /** Whether the provider can write at all. */
    boolean writable() {
        return has(Capability.WRITE_CONTENT) && has(Capability.CREATE);
    }

    /** The modification-time precision the file system reports, at least a millisecond. */
    Duration timePrecision() {
        double ms = root.getFileSystem().getLastModTimeAccuracy();
        return Duration.ofMillis(Math.max(1, (long) Math.ceil(ms)));
    }

    Optional<Entry> entry(SyncPath path, FileObject f) throws IOException {
        f.refresh();
        FileType type = f.getType();
        if (type == FileType.IMAGINARY) {
            return Optional.empty();
        }
        Entry.Builder b = type.hasContent() ? Entry.file(path, f.getContent().getSize()) : Entry.directory(path);
        if (has(Capability.GET_LAST_MODIFIED)) {
            long t = f.getContent().getLastModifiedTime();
            if (t > 0) {
                b.modTime(Instant.ofEpochMilli(t)).modTimePrecision(timePrecision());
            }
        }
        return Optional.of(b.build());
    }
}
