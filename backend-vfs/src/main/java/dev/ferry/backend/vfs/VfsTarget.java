package dev.ferry.backend.vfs;

import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.apache.commons.vfs2.Capability;
import org.apache.commons.vfs2.FileObject;

/**
 * A target over any Apache Commons VFS location. Capabilities come from what the provider
 * declares: times kept only where it can set them, read-only where it cannot write. Every call
 * into VFS holds {@link VfsLock}, as VFS is not safe for concurrent use.
 */
public final class VfsTarget implements SyncTarget {

    private final VfsRoot root;
    private final VfsWrites writes;
    private final String description;

    VfsTarget(FileObject root) {
        this.root = new VfsRoot(root);
        this.writes = new VfsWrites(this.root);
        // The friendly URI never carries the password.
        this.description = "vfs:" + root.getName().getFriendlyURI();
    }

    @Override
    public String description() {
        return description;
    }

    /** Whether the provider can write at all. */
    public boolean readOnly() {
        return !root.writable();
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder()
                .keepsModTime(root.has(Capability.SET_LAST_MODIFIED_FILE))
                .modTimePrecision(root.timePrecision())
                .listsModTimes(root.has(Capability.GET_LAST_MODIFIED))
                .conditionalWrites(false)
                .build();
    }

    @Override
    public void list(SyncPath directory, ListingSink sink) throws IOException {
        VfsListing.list(root, directory, sink);
    }

    @Override
    public Optional<Entry> stat(SyncPath path) throws IOException {
        return VfsLock.call(() -> {
            FileObject f = root.resolve(path);
            f.refresh();
            return root.entry(path, f);
        });
    }

    @Override
    public InputStream open(SyncPath path, long offset) throws IOException {
        return VfsLock.call(() -> {
            FileObject f = root.resolve(path);
            if (!f.isFile()) {
                throw new NotFoundException("no such file: " + path);
            }
            InputStream in = VfsLock.guarded(f.getContent().getInputStream());
            in.skipNBytes(offset);
            return in;
        });
    }

    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        return writes.write(path, content, hints); // holds the lock per VFS call, not while reading content
    }

    @Override
    public void delete(SyncPath path) throws IOException {
        VfsLock.run(() -> writes.delete(path));
    }

    @Override
    public void makeDirectories(SyncPath directory) throws IOException {
        VfsLock.run(() -> writes.makeDirectories(directory));
    }

    @Override
    public void close() throws IOException {
        VfsLock.run(() -> root.root().close());
    }

    @Override
    public String toString() {
        return description;
    }
}
