package dev.ferry.backend.webdav;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import dev.ferry.backend.support.TemporaryFiles;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Listings: PROPFIND Depth 1 of one collection, parsed as it streams; a tree walked
 * breadth-first with at most {@code connections} PROPFINDs at once (never Depth infinity).
 * Hrefs are decoded once and must name a direct child of the listed collection; anything else is
 * reported, never believed. Temporary names are hidden, and stale ones swept, by
 * {@link TemporaryFiles}.
 */
final class DavListing {

    private final Dav dav;
    private final ExecutorService listers;

    DavListing(Dav dav) {
        this.dav = dav;
        this.listers = Executors.newFixedThreadPool(dav.options.connections(), r -> {
            Thread t = new Thread(r, "ferry-webdav-list");
            t.setDaemon(true);
            return t;
        });
    }

    void close() {
        listers.shutdownNow();
    }

    /** PROPFIND Depth 1 of one collection, streamed into {@code sink}. */
    void list(SyncPath directory, ListingSink sink) throws IOException {
        String action = "list " + dav.where(directory);
        if (directory.isRoot() && dav.rootMissing()) {
            // The open saw no root and nothing created it since: no second PROPFIND to learn that again.
            throw new NotFoundException("cannot " + action + ": no such directory");
        }
        String url = dav.url(directory, true);
        List<String> self = dav.segments(directory);
        TemporaryFiles temps = new TemporaryFiles(Instant.now().minus(dav.options.tempMaxAge()));
        dav.call(Dav.propfind(url, "1"), action, url, r -> {
            int code = r.getStatusLine().getStatusCode();
            if (code == 404 || code == 409) {
                throw new NotFoundException("cannot " + action + ": no such directory (" + code + ")");
            }
            dav.expect(r, action, url, 207);
            Multistatus.parse(r.getEntity().getContent(), resp -> {
                Optional<List<String>> segs = DavPaths.hrefSegments(resp.href());
                if (segs.isEmpty()) {
                    sink.notice(new ListingNotice(directory + " " + resp.href(), ListingNotice.Reason.HOSTILE_NAME,
                            "the server listed an unreadable href in " + dav.where(directory)));
                    return;
                }
                List<String> s = segs.get();
                if (s.equals(self)) {
                    if (!resp.collection()) {
                        throw new NotFoundException("cannot " + action + ": it is a file, not a directory");
                    }
                    return;
                }
                if (s.size() != self.size() + 1 || !s.subList(0, self.size()).equals(self)) {
                    sink.notice(new ListingNotice(resp.href(), ListingNotice.Reason.HOSTILE_NAME,
                            "the server listed an entry outside " + dav.where(directory) + "; not believed"));
                    return;
                }
                String name = s.get(s.size() - 1);
                if (resp.status() != 200) {
                    sink.notice(new ListingNotice(directory.isRoot() ? name : directory + "/" + name,
                            ListingNotice.Reason.UNREADABLE, "the server answered " + resp.status() + " for it"));
                    return;
                }
                if (temps.hide(name, DavEntries.parseTime(resp.lastModified()))) {
                    return;
                }
                SyncPath child;
                try {
                    child = directory.child(name);
                } catch (IllegalArgumentException e) {
                    sink.notice(ListingNotice.hostileName(directory, name, "in " + dav.where(directory) + ": " + e.getMessage()));
                    return;
                }
                Optional<Entry> e = DavEntries.toEntry(child, resp);
                if (e.isEmpty()) {
                    sink.notice(new ListingNotice(child.toString(), ListingNotice.Reason.UNREADABLE,
                            "the server gave no valid size for this file"));
                    return;
                }
                sink.entry(e.get());
            });
            return null;
        });
        for (String name : temps.stale()) {
            dav.deleteQuietly(dav.url(directory.child(name), false));
        }
    }

    /**
     * Walks the tree below {@code directory} breadth-first, with at most {@code connections}
     * PROPFINDs in flight; entries reach {@code sink} on the calling thread, through a bounded
     * queue, so memory stays bounded however large the tree.
     */
    void listRecursive(SyncPath directory, ListingSink sink) throws IOException {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(1024);
        AtomicBoolean cancelled = new AtomicBoolean();
        Object done = new Object();
        int active = 0;
        ArrayDeque<SyncPath> waiting = new ArrayDeque<>();
        waiting.add(directory);
        try {
            while (!waiting.isEmpty() || active > 0) {
                while (!waiting.isEmpty() && active < dav.options.connections()) {
                    SyncPath dir = waiting.poll();
                    active++;
                    listers.execute(() -> listOne(dir, queue, cancelled, done));
                }
                Object item;
                try {
                    item = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("listing interrupted");
                }
                if (item == done) {
                    active--;
                } else if (item instanceof Entry e) {
                    sink.entry(e);
                    if (e.isDirectory()) {
                        waiting.add(e.path());
                    }
                } else if (item instanceof ListingNotice n) {
                    sink.notice(n);
                } else if (item instanceof IOException e) {
                    throw e;
                } else if (item instanceof RuntimeException e) {
                    throw e;
                }
            }
        } finally {
            cancelled.set(true);
        }
    }

    /** One worker's PROPFIND: its entries, notices, failure and end go to the queue. */
    private void listOne(SyncPath dir, BlockingQueue<Object> queue, AtomicBoolean cancelled, Object done) {
        ListingSink toQueue = new ListingSink() {
            @Override
            public void entry(Entry entry) throws IOException {
                put(queue, cancelled, entry);
            }

            @Override
            public void notice(ListingNotice notice) {
                try {
                    put(queue, cancelled, notice);
                } catch (IOException e) {
                    // cancelled: the caller no longer reads
                }
            }
        };
        try {
            list(dir, toQueue);
            put(queue, cancelled, done);
        } catch (IOException | RuntimeException e) {
            try {
                put(queue, cancelled, e);
            } catch (IOException ignored) {
                // cancelled
            }
        }
    }

    private static void put(BlockingQueue<Object> queue, AtomicBoolean cancelled, Object item) throws IOException {
        try {
            while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                if (cancelled.get()) {
                    throw new InterruptedIOException("listing cancelled");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("listing interrupted");
        }
    }
}
