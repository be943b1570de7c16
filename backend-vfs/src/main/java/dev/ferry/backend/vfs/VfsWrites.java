package dev.ferry.backend.vfs;

import dev.ferry.api.Entry;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PermissionDeniedException;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import dev.ferry.backend.support.ExactSizeInputStream;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.vfs2.Capability;
import org.apache.commons.vfs2.FileObject;

/** Writes to a temporary name, then renames where the provider can; deletes and directories. */
final class VfsWrites {

    private final VfsRoot root;

    VfsWrites(VfsRoot root) {
        this.root = root;
    }

    private void requireWritable(SyncPath path) throws PermissionDeniedException {
        if (!root.writable()) {
            throw new PermissionDeniedException("read-only VFS location (its provider cannot write): " + path);
        }
    }

    Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        requireWritable(path);
        if (path.isRoot()) {
            throw new IllegalArgumentException("cannot write the root");
        }
        FileObject dest = root.resolve(path);
        if (!hints.precondition().isNone()
                && !hints.precondition().matches(root.entry(path, dest))) {
            throw new PreconditionFailedException("changed since the plan saw it: " + path);
        }
        FileObject parent = root.resolve(path.parent());
        parent.createFolder();
        boolean rename = root.has(Capability.RENAME);
        FileObject out = rename ? VfsRoot.child(parent, TemporaryNames.newName(path.name())) : dest;
        InputStream in = hints.size() >= 0 ? new ExactSizeInputStream(content, hints.size(), "write " + path) : content;
        try {
            try (OutputStream os = out.getContent().getOutputStream()) {
                in.transferTo(os);
            }
            if (hints.modTime().isPresent() && root.has(Capability.SET_LAST_MODIFIED_FILE)) {
                out.getContent().setLastModifiedTime(hints.modTime().get().toEpochMilli());
            }
            if (rename) {
                out.moveTo(dest);
            }
        } catch (IOException | RuntimeException e) {
            if (rename) {
                out.delete();
            }
            throw e;
        }
        dest.refresh();
        return root.entry(path, dest).orElseThrow(() -> new IOException("written file vanished: " + path));
    }

    void delete(SyncPath path) throws IOException {
        requireWritable(path);
        FileObject f = root.resolve(path);
        f.refresh();
        if (!f.exists()) {
            return;
        }
        if (f.isFolder() && f.getChildren().length > 0) {
            throw new PermanentSyncException("directory not empty: " + path);
        }
        f.delete();
    }

    void makeDirectories(SyncPath directory) throws IOException {
        requireWritable(directory);
        root.resolve(directory).createFolder();
    }
}
