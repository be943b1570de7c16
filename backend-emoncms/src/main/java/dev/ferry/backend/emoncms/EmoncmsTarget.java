package dev.ferry.backend.emoncms;

import dev.ferry.api.Appender;
import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PermissionDeniedException;
import dev.ferry.api.SourceAwareWriter;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeSet;

/**
 * An Emoncms server's PHPFina and PHPTimeSeries feeds as a target: each feed is the file
 * {@code TAG/NAME} (a feed without a tag sits at the root), its content the feed's raw data bytes
 * as {@code feed/export.json} gives them, its version token the layout and point count
 * ({@code engine=5;interval=10;start=…;npoints=…}), its time the last point's.
 *
 * <p>A feed only grows: writes add points after what the remote holds, through {@code feed/sync}
 * ({@link FeedUploader}), after checking that the remote's layout (engine, interval, start time)
 * is the source's; a feed with other history is never rewritten and never deleted. Missing feeds
 * are created with the source's tag, name, engine and interval. With {@code dataDir}, feeds are
 * listed by HTTP but their meta and data read from the instance's files.
 */
public final class EmoncmsTarget implements SyncTarget, Appender, SourceAwareWriter {

    private static final Capabilities CAPABILITIES = Capabilities.builder()
            .keepsModTime(false).modTimePrecision(Duration.ofSeconds(1)).build();

    private final EmoncmsOptions options;
    private final EmoncmsHttp http;
    private final FeedCatalog catalog;
    private final FeedUploader uploader;
    private final FeedReads reads;
    private final Optional<LocalFeedFiles> files;

    private EmoncmsTarget(EmoncmsOptions options, EmoncmsHttp http) {
        this.options = options;
        this.http = http;
        this.catalog = new FeedCatalog(http);
        this.uploader = new FeedUploader(http, catalog, options.uploadBudget(), options.legacyUpload());
        this.reads = new FeedReads(http);
        this.files = options.dataDir().map(LocalFeedFiles::new);
    }

    /** Connects: logs in or checks the key, so bad credentials and non-Emoncms servers fail here. */
    static EmoncmsTarget open(EmoncmsOptions options) throws IOException {
        EmoncmsHttp http = new EmoncmsHttp(options.base(), options.timeout(), options.tls());
        http.authenticate(options);
        return new EmoncmsTarget(options, http);
    }

    @Override
    public String description() {
        return (options.base().getScheme().equals("https") ? "emoncmss" : "emoncms") + "://" + options.base().getRawAuthority()
                + options.base().getRawPath();
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    /** Request bodies sent so far by this target (points and segment headers), for reports and measurements. */
    public long bytesSent() {
        return http.bytesSent();
    }

    /** HTTP requests sent so far by this target. */
    public long requestsSent() {
        return http.requests();
    }

    @Override
    public void list(SyncPath directory, ListingSink sink) throws IOException {
        if (directory.depth() > 1) {
            throw new NotFoundException("no folder " + directory + " in " + description() + ": feeds are TAG/NAME");
        }
        String tag = directory.isRoot() ? null : directory.name();
        TreeSet<String> tags = new TreeSet<>();
        boolean any = directory.isRoot();
        FeedCatalog.Feeds all = feeds();
        for (FeedMeta f : all.usable()) {
            if (tag == null && !f.tag().isEmpty()) {
                tagEntry(f.tag(), tags, sink);
            } else if (tag == null ? f.tag().isEmpty() : tag.equals(f.tag())) {
                any = true;
                if (safe(f.name(), directory, sink)) {
                    try {
                        sink.entry(entry(directory.child(f.name()), withFiles(f)));
                    } catch (PermanentSyncException e) {
                        // One damaged feed is that feed's error, not the whole tag's.
                        sink.notice(new ListingNotice(directory.child(f.name()).toString(), ListingNotice.Reason.UNREADABLE,
                                e.getMessage()));
                    }
                }
            }
        }
        // Feeds the server described impossibly (absurd counts, shared ids or names): said, never used.
        for (FeedCatalog.Rejected r : all.rejected()) {
            if (tag == null && !r.tag().isEmpty()) {
                tagEntry(r.tag(), tags, sink);
            } else if (tag == null ? r.tag().isEmpty() : tag.equals(r.tag())) {
                any = true;
                if (safe(r.name(), directory, sink)) {
                    sink.notice(new ListingNotice(directory.child(r.name()).toString(), ListingNotice.Reason.UNREADABLE, r.reason()));
                }
            }
        }
        if (!any) {
            throw new NotFoundException("no tag " + tag + " in " + description());
        }
    }

    @Override
    public Optional<Entry> stat(SyncPath path) throws IOException {
        if (path.isRoot()) {
            return Optional.of(Entry.directory(path).build());
        }
        Optional<FeedMeta> f = find(path);
        if (f.isPresent()) {
            return Optional.of(entry(path, withFiles(f.get())));
        }
        if (path.depth() == 1 && feeds().usable().stream().anyMatch(x -> x.tag().equals(path.name()))) {
            return Optional.of(Entry.directory(path).build());
        }
        return Optional.empty();
    }

    @Override
    public InputStream open(SyncPath path, long offset) throws IOException {
        FeedMeta f = find(path).orElseThrow(() -> new NotFoundException("no feed " + path + " in " + description()));
        return files.isPresent() ? files.get().open(f, offset) : reads.open(f, offset);
    }

    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        Optional<FeedMeta> remote = find(path);
        if (remote.isEmpty() || remote.get().isEmpty()) {
            throw new PermanentSyncException("feed " + path + ": a new feed's engine, interval and start time come from an Emoncms "
                    + "source (emoncms:// or emoncmss://); this content came without them");
        }
        return append(path, remote.get().size(), content);
    }

    @Override
    public Entry write(SyncPath path, Entry source, InputStream content, WriteHints hints) throws IOException {
        FeedMeta layout = layout(path, source);
        Optional<FeedMeta> found = find(path);
        FeedMeta remote;
        if (found.isEmpty()) {
            String tag = path.depth() == 2 ? path.parent().name() : "";
            if (path.depth() > 2) {
                throw new PermanentSyncException("feed " + path + ": feeds are TAG/NAME, one level deep");
            }
            remote = catalog.create(tag, path.name(), layout.engine(), layout.interval());
        } else {
            remote = catalog.refresh(found.get());
        }
        // A feed's history is never rewritten: what the remote holds must be a prefix of the source.
        if (remote.size() > source.size()) {
            throw new PermanentSyncException("feed " + path + " at " + description() + " holds " + remote.npoints()
                    + " points, more than the source's " + source.size() / layout.engine().pointSize() + ": nothing sent");
        }
        // Read, not skip: the engine's stream counts every byte it hands on.
        discard(content, remote.size());
        return upload(path, remote, layout, source.size(), remote.size(), content);
    }

    @Override
    public Entry append(SyncPath path, Entry source, long expectedSize, InputStream content) throws IOException {
        FeedMeta layout = layout(path, source);
        FeedMeta known = find(path).orElseThrow(() -> new NotFoundException("no feed " + path + " in " + description()));
        return upload(path, catalog.refresh(known), layout, source.size(), expectedSize, content);
    }

    @Override
    public Entry append(SyncPath path, long expectedSize, InputStream content) throws IOException {
        FeedMeta known = find(path).orElseThrow(() -> new NotFoundException("no feed " + path + " in " + description()));
        FeedMeta remote = catalog.refresh(known);
        if (remote.isEmpty()) {
            throw new PermanentSyncException("feed " + path + " is empty: its start time must come from an Emoncms source");
        }
        return upload(path, remote, remote, -1, expectedSize, content);
    }

    private Entry upload(SyncPath path, FeedMeta remote, FeedMeta layout, long sourceSize, long expectedSize, InputStream content)
            throws IOException {
        int ps = layout.engine().pointSize();
        if (sourceSize >= 0 && (sourceSize % ps != 0 || expectedSize % ps != 0)) {
            throw new PermanentSyncException("feed " + path + ": the source holds " + sourceSize + " bytes, not a whole number of "
                    + ps + "-byte points (a damaged data file?): nothing sent");
        }
        return entry(path, uploader.append(remote, layout, expectedSize, content));
    }

    @Override
    public void delete(SyncPath path) throws IOException {
        if (find(path).isPresent()) {
            throw new PermissionDeniedException("feed " + path + " at " + description() + ": Ferry never deletes an Emoncms feed");
        }
    }

    @Override
    public void makeDirectories(SyncPath directory) {
        // Tags exist through their feeds: nothing to make.
    }

    @Override
    public void close() {
        // The JDK HTTP client holds no resource that outlives its connections' idle timeout.
    }

    @Override
    public String toString() {
        return "EmoncmsTarget[" + description() + "]";
    }

    // --- helpers ---

    private static void discard(InputStream in, long n) throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new java.io.EOFException("the source ended before the points the destination already holds");
            }
            n -= r;
        }
    }

    private FeedMeta layout(SyncPath path, Entry source) throws IOException {
        return FeedMeta.fromVersion(source.version().orElse(null)).orElseThrow(() -> new PermanentSyncException("feed " + path
                + ": the source is not an Emoncms feed (no engine, interval and start time came with it)"));
    }

    private Entry entry(SyncPath path, FeedMeta f) {
        Entry.Builder b = Entry.file(path, f.size()).version(f.version()).modTimePrecision(Duration.ofSeconds(1));
        if (f.npoints() > 0 && f.endTime() > 0) {
            b.modTime(Instant.ofEpochSecond(f.endTime()));
        }
        return b.build();
    }

    private FeedMeta withFiles(FeedMeta f) throws IOException {
        if (files.isEmpty()) {
            return f;
        }
        FeedMeta m = files.get().meta(f);
        long size = files.get().dataSize(f);
        if (size % f.engine().pointSize() != 0) {
            throw new PermanentSyncException("feed " + f.label() + ": its data file holds " + size + " bytes, not a whole number of "
                    + f.engine().pointSize() + "-byte points (damaged?)");
        }
        return m;
    }

    /** A tag's directory entry once, or its notice once if the tag is no safe name. */
    private void tagEntry(String tag, TreeSet<String> seen, ListingSink sink) throws IOException {
        if (seen.add(tag) && safe(tag, SyncPath.ROOT, sink)) {
            sink.entry(Entry.directory(SyncPath.ROOT.child(tag)).build());
        }
    }

    private boolean safe(String name, SyncPath dir, ListingSink sink) {
        try {
            SyncPath.checkName(name);
            return true;
        } catch (IllegalArgumentException e) {
            sink.notice(ListingNotice.hostileName(dir, name, e.getMessage()));
            return false;
        }
    }

    private Optional<FeedMeta> find(SyncPath path) throws IOException {
        if (path.depth() < 1 || path.depth() > 2) {
            return Optional.empty();
        }
        String tag = path.depth() == 2 ? path.parent().name() : "";
        FeedCatalog.Feeds all = feeds();
        Optional<FeedCatalog.Rejected> rejected = all.rejected(tag, path.name());
        if (rejected.isPresent()) {
            throw new PermanentSyncException("feed " + path + ": " + rejected.get().reason());
        }
        return all.usable().stream().filter(f -> f.tag().equals(tag) && f.name().equals(path.name())).findFirst();
    }

    /** The feeds as the server has them now: never cached, a feed grows every few seconds. */
    private FeedCatalog.Feeds feeds() throws IOException {
        return catalog.list();
    }
}
