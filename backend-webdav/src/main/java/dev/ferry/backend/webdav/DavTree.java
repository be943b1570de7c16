package dev.ferry.backend.webdav;

import com.github.sardine.impl.methods.HttpMkCol;
import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PermissionDeniedException;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.TransientSyncException;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.http.client.methods.HttpDelete;

/**
 * Collections: MKCOL of missing parents (once per directory and target), deleting files (also
 * only if unchanged) and empty directories, and the one permission check a write needs (Nextcloud's {@code oc:permissions} of
 * the root, read by the open's PROPFIND).
 */
final class DavTree {

    private final Dav dav;
    private final DavListing listing;
    private final Map<String, Object> creating = new ConcurrentHashMap<>();
    /** For tests: runs between a conditional delete's look and its DELETE, where only another client acts. */
    volatile Runnable afterDeleteLook = () -> {};

    DavTree(Dav dav, DavListing listing) {
        this.dav = dav;
        this.listing = listing;
    }

    /**
     * Refuses a write into a root whose {@code oc:permissions} (as the open read them) allow
     * neither creating files (C) nor folders (K): another user's folder or a read-only share.
     * Checked when the target is first written, so a read-only source still opens and lists.
     */
    void checkWritable(String action) throws PermissionDeniedException {
        Optional<String> perms = dav.rootPermissions();
        if (perms.isEmpty() && dav.nextcloud() && dav.rootSeenAtOpen()) {
            // Every folder of the user's own tree has oc:permissions; Nextcloud shows another
            // user's files/<id>/ as an empty collection without them.
            perms = Optional.of("");
        }
        if (perms.isPresent() && perms.get().indexOf('C') < 0 && perms.get().indexOf('K') < 0) {
            throw new PermissionDeniedException("cannot " + action + ": user '" + dav.user() + "' may not write to "
                    + dav.description() + " (missing permission C, create files, and K, create folders: the server "
                    + "grants '" + perms.get() + "'; the folder is read-only for this user or belongs to someone else)");
        }
    }

    void delete(SyncPath path) throws IOException {
        refuseRoot(path);
        // DELETE of a collection is always recursive in WebDAV: look first, so only an empty
        // directory goes.
        Optional<Entry> e = dav.stat(path);
        if (e.isEmpty()) {
            return;
        }
        String action = "delete " + dav.where(path);
        checkWritable(action);
        if (e.get().isDirectory()) {
            boolean[] hasChild = {false};
            listing.list(path, new ListingSink() {
                @Override
                public void entry(Entry entry) {
                    hasChild[0] = true;
                }

                @Override
                public void notice(ListingNotice notice) {
                    hasChild[0] = true;
                }
            });
            if (hasChild[0]) {
                throw new PermanentSyncException("cannot " + action + ": the directory is not empty");
            }
        }
        String url = dav.url(path, e.get().isDirectory());
        send(new HttpDelete(url), action);
        if (e.get().isDirectory()) {
            forget(url);
        }
    }

    /**
     * Deletes the file at {@code path} only if it satisfies {@code pc}: looked at first (a
     * PROPFIND), then deleted by a DELETE that carries the listed ETag as {@code If-Match}, which
     * Apache mod_dav and Nextcloud evaluate as they delete, so an edit saved between the look and
     * the DELETE stays. A 412 for a file that still looks the same is a condition the server
     * could not evaluate (a weak ETag): then the look alone, as on a server that ignores it.
     */
    void deleteIf(SyncPath path, WriteHints.Precondition pc) throws IOException {
        refuseRoot(path);
        String action = "delete " + dav.where(path);
        Optional<Entry> now = dav.stat(path);
        if (now.isEmpty()) {
            return;
        }
        if (!pc.matches(now)) {
            throw changed(action, null);
        }
        checkWritable(action);
        afterDeleteLook.run();
        String url = dav.url(path, false);
        HttpDelete delete = new HttpDelete(url);
        boolean conditional = pc.expectedVersion().isPresent();
        if (conditional) {
            String etag = pc.expectedVersion().get();
            delete.setHeader("If-Match", etag.startsWith("\"") ? etag : "\"" + etag + "\"");
        }
        try {
            send(delete, action);
        } catch (PreconditionFailedException e) {
            Optional<Entry> again = dav.stat(path);
            if (again.isEmpty()) {
                return;
            }
            if (!conditional || !pc.matches(again)) {
                throw changed(action, e);
            }
            // The same file, refused: Apache's ETag is weak (never matches) while the file is less
            // than a second old. The look just made is all there is for this one.
            send(new HttpDelete(url), action);
        }
    }

    private void refuseRoot(SyncPath path) throws PermanentSyncException {
        if (path.isRoot()) {
            throw new PermanentSyncException("refusing to delete the root of " + dav.description());
        }
    }

    /** A DELETE; 404 counts as done (a retried delete finds its own work). */
    private void send(HttpDelete delete, String action) throws IOException {
        String url = delete.getURI().toString();
        dav.call(delete, action, url, r -> dav.expect(r, action, url, 200, 204, 404));
    }

    private static PreconditionFailedException changed(String action, Throwable cause) {
        return new PreconditionFailedException("cannot " + action + ": it changed since it was listed; left as it is",
                cause);
    }

    /** A directory (and what was below it) that moved or went away. */
    void forget(String collectionUrl) {
        dav.knownDirs.removeIf(d -> d.startsWith(collectionUrl));
    }

    void makeDirectories(SyncPath directory) throws IOException {
        mkcol(directory, 0);
    }

    private void mkcol(SyncPath dir, int depth) throws IOException {
        String url = dav.url(dir, true);
        if (dav.knownDirs.contains(url)) {
            return;
        }
        // Parallel writers into one new directory: one MKCOL, the others wait for it (servers
        // answer the losers of a race with 403 on Apache, 423 on x/net/webdav). One lock object
        // per directory, kept like knownDirs.
        synchronized (creating.computeIfAbsent(url, u -> new Object())) {
            mkcolLocked(dir, url, depth);
        }
    }

    private void mkcolLocked(SyncPath dir, String url, int depth) throws IOException {
        if (dav.knownDirs.contains(url)) {
            return;
        }
        String action = "create directory " + dav.where(dir);
        if (dir.isRoot()) {
            dav.rootUnknown(); // from here on, ask the server about the root again
        }
        int code = mkcolOnce(dir, url, action);
        if (code == 409 || code == 404) {
            // A parent is missing (409 on Apache and Nextcloud, 404 on rclone): create it first.
            if (dir.isRoot() || depth > 64) {
                throw new NotFoundException("cannot " + action + ": the server has no parent collection for it (" + code + ")");
            }
            mkcol(dir.parent(), depth + 1);
            code = mkcolOnce(dir, url, action);
        }
        if (code == 405 || code == 301) {
            // Something is there already (rclone answers 201 instead): it must be a directory.
            Optional<Entry> e = dav.stat(dir);
            if (e.isEmpty() || !e.get().isDirectory()) {
                throw new PermanentSyncException("cannot " + action + ": a file is in the way");
            }
        } else if (code / 100 != 2) {
            throw new NotFoundException("cannot " + action + ": the server has no parent collection for it (" + code + ")");
        }
        if (dir.isRoot()) {
            dav.rootFound();
        }
        dav.knownDirs.add(url);
    }

    /** One MKCOL: its status where it says something about the path, else the mapped failure. */
    private int mkcolOnce(SyncPath dir, String url, String action) throws IOException {
        try {
            return dav.call(new HttpMkCol(url), action, url, r -> {
                int c = r.getStatusLine().getStatusCode();
                if (c / 100 == 2 || c == 301 || c == 404 || c == 405 || c == 409) {
                    return c;
                }
                throw WebDavErrors.status(r, action, url, dav.user());
            });
        } catch (PermanentSyncException | TransientSyncException e) {
            // Another client creating the same directory: Apache answers the loser 403, x/net/webdav 423.
            if (dav.stat(dir).filter(Entry::isDirectory).isPresent()) {
                return 405;
            }
            throw e;
        }
    }
}
