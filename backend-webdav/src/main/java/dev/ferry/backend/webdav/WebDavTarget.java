package dev.ferry.backend.webdav;

import dev.ferry.api.Capabilities;
import dev.ferry.api.ConditionalDeleter;
import dev.ferry.api.Entry;
import dev.ferry.api.ListingSink;
import dev.ferry.api.ModTimeSetter;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.RecursiveLister;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.ServerSideCopy;
import dev.ferry.api.ServerSideMove;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;

/**
 * A WebDAV collection as a {@link SyncTarget}: generic servers (Apache mod_dav, rclone serve,
 * NAS boxes) and Nextcloud's dialect. A facade: listings ({@link DavListing}), reads
 * ({@link DavReads}), directories ({@link DavTree}), copies ({@link DavCopies}), and writes by
 * the {@link Dialect} chosen at open ({@link GenericDialect} or {@link NextcloudDialect}).
 */
final class WebDavTarget
        implements SyncTarget, ServerSideCopy, ServerSideMove, ConditionalDeleter, ModTimeSetter, RecursiveLister,
        ResumableWriter {

    private final Dav dav;
    private final Dialect dialect;
    private final DavListing listing;
    private final DavReads reads;
    private final DavTree tree;
    private final DavCopies copies;

    private WebDavTarget(Dav dav) {
        this.dav = dav;
        this.dialect = dav.nextcloud() ? new NextcloudDialect(dav) : new GenericDialect(dav);
        this.listing = new DavListing(dav);
        this.reads = new DavReads(dav);
        this.tree = new DavTree(dav, listing);
        this.copies = new DavCopies(dav, tree, dialect);
    }

    /**
     * Opens a target with one PROPFIND of the root (which may not exist yet): it checks the
     * credentials and tells whether the root is there and what the user may do in it. Nothing
     * is written: a target that is only read from stays untouched.
     */
    static WebDavTarget open(WebDavOptions options) throws IOException {
        WebDavTarget t = new WebDavTarget(new Dav(options, new DavClient(options)));
        try {
            t.dav.openRoot();
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    @Override
    public String description() {
        return dav.description();
    }

    @Override
    public String toString() {
        return "WebDavTarget[" + dav.description() + "]";
    }

    @Override
    public Capabilities capabilities() {
        return dialect.capabilities();
    }

    @Override
    public <T> Optional<T> ability(Class<T> type) {
        if (type == ModTimeSetter.class && !dialect.setsModTime()) {
            return Optional.empty();
        }
        if (type == ResumableWriter.class && dialect.resumable().isEmpty()) {
            return Optional.empty();
        }
        return SyncTarget.super.ability(type);
    }

    @Override
    public void list(SyncPath directory, ListingSink sink) throws IOException {
        listing.list(directory, sink);
    }

    @Override
    public void listRecursive(SyncPath directory, ListingSink sink) throws IOException {
        listing.listRecursive(directory, sink);
    }

    @Override
    public Optional<Entry> stat(SyncPath path) throws IOException {
        return dav.stat(path);
    }

    @Override
    public InputStream open(SyncPath path, long offset) throws IOException {
        return reads.open(path, offset);
    }

    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        if (path.isRoot()) {
            throw new PermanentSyncException("cannot write a file at the root of " + description());
        }
        tree.checkWritable("write " + dav.where(path));
        tree.makeDirectories(path.parent());
        return dialect.write(path, content, hints);
    }

    @Override
    public PartialWrite begin(SyncPath path, WriteHints hints) throws IOException {
        ResumableWriter chunks = dialect.resumable().orElseThrow(() -> new PermanentSyncException(
                "cannot write " + dav.where(path) + " in parts: the server has no chunked uploads"));
        tree.checkWritable("write " + dav.where(path));
        tree.makeDirectories(path.parent());
        return chunks.begin(path, hints);
    }

    @Override
    public Optional<PartialWrite> resume(String token, WriteHints hints) throws IOException {
        Optional<ResumableWriter> chunks = dialect.resumable();
        return chunks.isEmpty() ? Optional.empty() : chunks.get().resume(token, hints);
    }

    @Override
    public Entry setModTime(SyncPath path, Instant modTime) throws IOException {
        return dialect.setModTime(path, modTime);
    }

    @Override
    public void delete(SyncPath path) throws IOException {
        tree.delete(path);
    }

    /** For tests: {@code r} runs between each conditional delete's look and its DELETE. */
    void afterDeleteLook(Runnable r) {
        tree.afterDeleteLook = r;
    }

    /** A PROPFIND, then a DELETE with the listed ETag as If-Match (see {@link DavTree#deleteIf}). */
    @Override
    public void deleteIf(SyncPath path, WriteHints.Precondition precondition) throws IOException {
        tree.deleteIf(path, precondition);
    }

    @Override
    public void makeDirectories(SyncPath directory) throws IOException {
        if (!directory.isRoot()) {
            tree.checkWritable("create directory " + dav.where(directory));
        }
        tree.makeDirectories(directory);
    }

    @Override
    public Entry copy(SyncPath from, SyncPath to) throws IOException {
        return copies.copy(from, to);
    }

    /** Another collection of the same server (scheme, host, port), dialect and user: the server copies. */
    @Override
    public boolean canCopyFrom(SyncTarget source) {
        if (!(source instanceof WebDavTarget other)) {
            return false;
        }
        WebDavOptions a = dav.options;
        WebDavOptions o = other.dav.options;
        return a.kind() == o.kind() && a.https() == o.https() && a.host().equalsIgnoreCase(o.host())
                && a.port() == o.port() && java.util.Objects.equals(a.user(), o.user())
                && java.util.Objects.equals(a.password(), o.password());
    }

    @Override
    public Entry copyFrom(SyncTarget source, SyncPath from, SyncPath to) throws IOException {
        if (!canCopyFrom(source)) {
            throw new dev.ferry.api.PermanentSyncException("cannot copy from " + source.description()
                    + " on the server: another server or user");
        }
        return copies.copyFrom(((WebDavTarget) source).dav, from, to);
    }

    @Override
    public Entry move(SyncPath from, SyncPath to) throws IOException {
        return copies.move(from, to);
    }

    @Override
    public void close() throws IOException {
        listing.close();
        dav.client.shutdown();
    }
}
