package dev.ferry.backend.vfs;

import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.provider.UriParser;

/** One directory, streamed into the sink; every name goes through SyncPath. VFS hands the children as one array. */
final class VfsListing {

    private VfsListing() {}

    static void list(VfsRoot root, SyncPath directory, ListingSink sink) throws IOException {
        // VFS calls hold the lock, the sink's never do: a sink may wait on a thread that calls VFS.
        FileObject[] children = VfsLock.call(() -> {
            FileObject dir = root.resolve(directory);
            dir.refresh();
            if (!dir.exists() || !dir.isFolder()) {
                throw new NotFoundException("no such directory: " + directory);
            }
            return dir.getChildren();
        });
        for (FileObject child : children) {
            // VFS keeps a name's % escaped in its FileName; the real name is the decoded one.
            String name = UriParser.decode(child.getName().getBaseName());
            if (TemporaryNames.isTemporary(name) || TemporaryNames.isAside(name)) {
                continue;
            }
            SyncPath path;
            try {
                SyncPath.checkName(name);
                path = directory.child(name);
            } catch (IllegalArgumentException e) {
                sink.notice(ListingNotice.hostileName(directory, name, e.getMessage()));
                continue;
            }
            var entry = VfsLock.call(() -> root.entry(path, child));
            if (entry.isPresent()) {
                sink.entry(entry.get());
            }
        }
    }
}
