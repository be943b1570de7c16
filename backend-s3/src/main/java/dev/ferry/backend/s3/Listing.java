package dev.ferry.backend.s3;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Listings, one directory or a whole tree, page by page (ListObjectsV2). A page gives each
 * object's size and ETag but not rclone's mtime, which costs a HEAD per object: only with the
 * {@code listModTimes} option, up to 16 at once. S3 has no temporary names to hide (a write is
 * invisible until its PUT or CompleteMultipartUpload), so no {@code TemporaryFiles} here.
 */
final class Listing {

    private final Bucket b;
    private final ObjectInfo info;

    Listing(Bucket b, ObjectInfo info) {
        this.b = b;
        this.info = info;
    }

    void list(SyncPath directory, ListingSink sink) throws IOException {
        String listPrefix = b.dirPrefix(directory);
        String token = null;
        Set<String> tokens = new HashSet<>();
        boolean any = false;
        Set<String> dirsSeen = new HashSet<>();
        do {
            ListObjectsV2Response page = listPage(listPrefix, "/", token, directory);
            List<Entry> files = new ArrayList<>();
            for (CommonPrefix cp : page.commonPrefixes()) {
                any = true;
                if (!cp.prefix().startsWith(listPrefix)) {
                    sink.notice(ListingNotice.hostileName(directory, cp.prefix(), "outside the listed prefix"));
                    continue;
                }
                String name = cp.prefix().substring(listPrefix.length());
                name = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
                emitDirectory(directory, name, dirsSeen, sink);
            }
            for (S3Object o : page.contents()) {
                if (!o.key().startsWith(listPrefix)) {
                    sink.notice(ListingNotice.hostileName(directory, o.key(), "outside the listed prefix"));
                    continue;
                }
                String name = o.key().substring(listPrefix.length());
                if (name.isEmpty()) {
                    any = true; // the directory's own marker: it exists, maybe empty
                    continue;
                }
                any = true;
                if (name.endsWith("/")) {
                    emitDirectory(directory, name.substring(0, name.length() - 1), dirsSeen, sink);
                    continue;
                }
                SyncPath p;
                try {
                    p = directory.child(name);
                } catch (IllegalArgumentException e) {
                    sink.notice(ListingNotice.hostileName(directory, name, e.getMessage()));
                    continue;
                }
                files.add(listedFile(p, o));
            }
            emitFiles(files, sink);
            token = nextToken(page, tokens, directory);
        } while (token != null);
        if (!any && !directory.isRoot() && !info.markerExists(directory)) {
            throw new NotFoundException("cannot list " + b.at(directory) + ": no such directory");
        }
    }

    void listRecursive(SyncPath directory, ListingSink sink, String fromPath, String untilPath) throws IOException {
        String listPrefix = b.dirPrefix(directory);
        String rootPrefix = b.dirPrefix(SyncPath.ROOT);
        // StartAfter is exclusive: start after a key just below the range's first (its first key
        // without its last character), so the first key itself is listed.
        String startAfter = null;
        if (fromPath != null && !fromPath.isEmpty()) {
            String from = rootPrefix + fromPath.substring(0, fromPath.offsetByCodePoints(fromPath.length(), -1));
            startAfter = utf8Order(from, listPrefix) > 0 ? from : null;
        }
        String stopAt = untilPath == null ? null : rootPrefix + untilPath;
        String token = null;
        Set<String> tokens = new HashSet<>();
        boolean any = startAfter != null; // a range past the last key is empty, not missing
        Set<SyncPath> dirsSeen = new HashSet<>();
        do {
            ListObjectsV2Response page = listPage(listPrefix, null, token, startAfter, directory);
            List<Entry> files = new ArrayList<>();
            for (S3Object o : page.contents()) {
                any = true;
                if (stopAt != null && utf8Order(o.key(), stopAt) >= 0) {
                    emitFiles(files, sink); // past the range: the rest of the prefix is another shard's
                    return;
                }
                if (!o.key().startsWith(listPrefix)) {
                    sink.notice(ListingNotice.hostileName(directory, o.key(), "outside the listed prefix"));
                    continue;
                }
                String rel = o.key().substring(listPrefix.length());
                if (rel.isEmpty()) {
                    continue;
                }
                boolean isDir = rel.endsWith("/");
                String clean = isDir ? rel.substring(0, rel.length() - 1) : rel;
                SyncPath p;
                try {
                    p = directory.resolve(SyncPath.of(clean));
                } catch (IllegalArgumentException e) {
                    sink.notice(ListingNotice.hostileName(directory, rel, e.getMessage()));
                    continue;
                }
                for (SyncPath d = isDir ? p : p.parent(); d != null && !d.equals(directory) && dirsSeen.add(d);
                        d = d.parent()) {
                    sink.entry(Entry.directory(d).build());
                }
                if (!isDir) {
                    files.add(listedFile(p, o));
                }
            }
            emitFiles(files, sink);
            token = nextToken(page, tokens, directory);
        } while (token != null);
        if (!any && !directory.isRoot()) {
            throw new NotFoundException("cannot list " + b.at(directory) + ": no such directory");
        }
    }

    /** S3's key order: the bytes of UTF-8, which is the order of code points. */
    private static int utf8Order(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The token of the next page, or null at the end. A server that says "truncated" without a
     * token, or hands back a token it gave before, would make the listing end early (read as
     * complete: absence taken for deletion) or never end: both are errors, not listings.
     */
    private String nextToken(ListObjectsV2Response page, Set<String> seen, SyncPath dir) throws IOException {
        if (!Boolean.TRUE.equals(page.isTruncated())) {
            return null;
        }
        String next = page.nextContinuationToken();
        if (next == null || next.isEmpty()) {
            throw new PermanentSyncException("cannot list " + b.at(dir)
                    + ": the server says the listing is truncated but gives no continuation token");
        }
        if (!seen.add(next)) {
            throw new PermanentSyncException("cannot list " + b.at(dir)
                    + ": the server repeated a continuation token (page " + seen.size() + "), the listing would never end");
        }
        return next;
    }

    private ListObjectsV2Response listPage(String listPrefix, String delimiter, String token, SyncPath dir)
            throws IOException {
        return listPage(listPrefix, delimiter, token, null, dir);
    }

    private ListObjectsV2Response listPage(String listPrefix, String delimiter, String token, String startAfter,
            SyncPath dir) throws IOException {
        try {
            return b.client.listObjectsV2(ListObjectsV2Request.builder().bucket(b.name)
                    .prefix(listPrefix.isEmpty() ? null : listPrefix).delimiter(delimiter)
                    .maxKeys(b.options.listChunk()).continuationToken(token)
                    .startAfter(token == null ? startAfter : null).build());
        } catch (SdkException e) {
            throw S3Errors.map(e, "list", b.at(dir));
        }
    }

    private static void emitDirectory(SyncPath directory, String name, Set<String> seen, ListingSink sink)
            throws IOException {
        if (!seen.add(name)) {
            return;
        }
        try {
            sink.entry(Entry.directory(directory.child(name)).build());
        } catch (IllegalArgumentException e) {
            sink.notice(ListingNotice.hostileName(directory, name + "/", e.getMessage()));
        }
    }

    /** A file as a listing shows it: size, a single-part ETag as MD5, no time (that needs a HEAD). */
    private Entry listedFile(SyncPath p, S3Object o) {
        Entry.Builder e = Entry.file(p, o.size() == null ? 0 : o.size()).version(o.eTag());
        if (b.etagIsMd5()) {
            RcloneMeta.md5OfEtag(o.eTag()).ifPresent(h -> e.hash(HashAlgorithm.MD5, h));
        }
        return e.build();
    }

    /** Passes a page's files on, with their stored times read in parallel if the option asks. */
    private void emitFiles(List<Entry> files, ListingSink sink) throws IOException {
        if (!b.options.listModTimes() || files.isEmpty()) {
            for (Entry e : files) {
                sink.entry(e);
            }
            return;
        }
        int parallel = Math.min(16, files.size());
        List<Future<Optional<Entry>>> heads = new ArrayList<>(files.size());
        Semaphore slots = new Semaphore(parallel);
        try {
            for (Entry e : files) {
                slots.acquire();
                heads.add(b.workers.submit(() -> {
                    try {
                        return info.stat(e.path());
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (int i = 0; i < files.size(); i++) {
                Optional<Entry> full = b.await(heads.get(i), "stat", files.get(i).path());
                // Gone since the listing page: leave it out, as a later listing would.
                if (full.isPresent() && full.get().isFile()) {
                    sink.entry(full.get());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while listing");
        } finally {
            heads.forEach(f -> f.cancel(true));
        }
    }
}
