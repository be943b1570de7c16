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

    /**
     * Holds {@link VfsLock} for each VFS call but never while reading {@code content}: a slow
     * source must not stop readers of this location, nor a write of another file.
     */
    Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        requireWritable(path);
        if (path.isRoot()) {
            throw new IllegalArgumentException("cannot write the root");
        }
        refuseUnwritableName(path);
        boolean rename = root.has(Capability.RENAME);
        Destination d = VfsLock.call(() -> {
            FileObject dest = root.resolve(path);
            if (!hints.precondition().isNone() && !hints.precondition().matches(root.entry(path, dest))) {
                throw new PreconditionFailedException("changed since the plan saw it: " + path);
            }
            FileObject parent = root.resolve(path.parent());
            parent.createFolder();
            return new Destination(dest, rename ? VfsRoot.child(parent, TemporaryNames.newName(path.name())) : dest);
        });
        FileObject dest = d.file();
        FileObject out = d.writtenAs();
        InputStream in = hints.size() >= 0 ? new ExactSizeInputStream(content, hints.size(), "write " + path) : content;
        try {
            OutputStream os = VfsLock.call(() -> out.getContent().getOutputStream());
            try {
                byte[] buffer = new byte[64 << 10];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    int length = n;
                    VfsLock.run(() -> os.write(buffer, 0, length));
                }
            } finally {
                VfsLock.run(os::close);
            }
            VfsLock.run(() -> {
                if (hints.modTime().isPresent() && root.has(Capability.SET_LAST_MODIFIED_FILE)) {
                    out.getContent().setLastModifiedTime(hints.modTime().get().toEpochMilli());
                }
                if (rename) {
                    out.moveTo(dest);
                }
            });
        } catch (IOException | RuntimeException e) {
            if (rename) {
                VfsLock.run(out::delete);
            }
            throw e;
        }
        return VfsLock.call(() -> {
            dest.refresh();
            return root.entry(path, dest).orElseThrow(() -> new IOException("written file vanished: " + path));
        });
    }

    /** The final file and the one written first (a temporary name where the provider can rename). */
    private record Destination(FileObject file, FileObject writtenAs) {}

    /**
     * JSch, VFS's SFTP client, reads {@code ?} and {@code *} in every remote path as glob
     * patterns, and VFS turns a backslash that would quote them into a separator: such a name
     * cannot be written through {@code vfs:sftp}. Refused up front, naming the file.
     */
    private void refuseUnwritableName(SyncPath path) throws PermanentSyncException {
        if (!"sftp".equals(root.root().getName().getScheme())) {
            return;
        }
        for (String segment : path.segments()) {
            if (segment.indexOf('?') >= 0 || segment.indexOf('*') >= 0) {
                throw new PermanentSyncException("cannot write " + path + " through vfs:sftp: its SFTP client (JSch) "
                        + "reads ? and * in a name as a pattern; use an sftp:// location, which has no such limit");
            }
        }
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
