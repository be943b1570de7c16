package dev.ferry.backend.webdav;

import com.github.sardine.impl.methods.HttpCopy;
import com.github.sardine.impl.methods.HttpMove;
import dev.ferry.api.Entry;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import java.io.IOException;

/** Server-side COPY and MOVE: {@code Destination} as the full URL, {@code Overwrite: T}, parents created first. */
final class DavCopies {

    private final Dav dav;
    private final DavTree tree;
    private final Dialect dialect;

    DavCopies(Dav dav, DavTree tree, Dialect dialect) {
        this.dav = dav;
        this.tree = tree;
        this.dialect = dialect;
    }

    Entry copy(SyncPath from, SyncPath to) throws IOException {
        String action = "copy " + dav.where(from) + " to " + to;
        tree.checkWritable(action);
        Entry src = dav.stat(from).filter(Entry::isFile)
                .orElseThrow(() -> new NotFoundException("cannot " + action + ": no such file"));
        tree.makeDirectories(to.parent());
        HttpCopy copy = new HttpCopy(dav.url(from, false), dav.url(to, false), true);
        copy.setHeader("Depth", "0");
        dav.call(copy, action, dav.url(from, false), r -> dav.expect(r, action, dav.url(from, false), 201, 204));
        return dialect.afterCopy(src, to, dav.storedEntry(to, action));
    }

    /**
     * Copies {@code from} of another collection on the same server, reached as the same user
     * ({@code source}), to {@code to} here: one COPY, the bytes never leave the server.
     */
    Entry copyFrom(Dav source, SyncPath from, SyncPath to) throws IOException {
        String action = "copy " + source.where(from) + " to " + dav.where(to);
        tree.checkWritable(action);
        Entry src = source.stat(from).filter(Entry::isFile)
                .orElseThrow(() -> new NotFoundException("cannot " + action + ": no such file"));
        tree.makeDirectories(to.parent());
        String fromUrl = source.url(from, false);
        HttpCopy copy = new HttpCopy(fromUrl, dav.url(to, false), true);
        copy.setHeader("Depth", "0");
        dav.call(copy, action, fromUrl, r -> dav.expect(r, action, fromUrl, 201, 204));
        return dialect.afterCopy(src, to, dav.storedEntry(to, action));
    }

    Entry move(SyncPath from, SyncPath to) throws IOException {
        String action = "move " + dav.where(from) + " to " + to;
        tree.checkWritable(action);
        Entry src = dav.stat(from).orElseThrow(() -> new NotFoundException("cannot " + action + ": nothing is there"));
        tree.makeDirectories(to.parent());
        String fromUrl = dav.url(from, src.isDirectory());
        HttpMove move = new HttpMove(fromUrl, dav.url(to, src.isDirectory()), true);
        dav.call(move, action, fromUrl, r -> dav.expect(r, action, fromUrl, 201, 204));
        if (src.isDirectory()) {
            tree.forget(fromUrl);
        }
        return dav.storedEntry(to, action);
    }
}
