package dev.ferry.backend.webdav;

import com.github.sardine.impl.methods.HttpMkCol;
import com.github.sardine.impl.methods.HttpMove;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import dev.ferry.backend.support.ExactSizeInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PushbackInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.http.client.methods.HttpDelete;
import org.apache.http.client.methods.HttpPut;

/**
 * Nextcloud chunked upload v2: MKCOL of an upload folder with {@code Destination}; chunks
 * {@code 00001}, {@code 00002}, … of exactly {@code chunkSize} bytes but the last, each with
 * {@code Destination} and {@code OC-Total-Length}; then MOVE of {@code .file} onto the path. The
 * MOVE is where the file becomes visible, so it carries the precondition: {@code If-Match} with
 * the expected ETag (as Nextcloud's desktop client sends it) and {@code Overwrite: F} for a file
 * that must be absent (Sabre refuses that MOVE onto an existing file before assembling). The
 * precondition is also checked before the first chunk, so a write that cannot succeed sends
 * nothing. As a {@link ResumableWriter}, the token is the folder's id and the path: a later
 * process continues from the chunks the server holds.
 */
final class ChunkedUpload implements ResumableWriter {

    private static final int LOCK_RETRIES = 5;
    /** Upload folders this process made: never swept as abandoned while it runs. */
    private static final Set<String> OWN_UPLOADS = ConcurrentHashMap.newKeySet();

    private final Dav dav;
    private final NextcloudDialect dialect;
    private final AtomicBoolean uploadsSwept = new AtomicBoolean();

    ChunkedUpload(Dav dav, NextcloudDialect dialect) {
        this.dav = dav;
        this.dialect = dialect;
    }

    Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        String action = "write " + dav.where(path);
        String dest = dav.url(path, false);
        checkPrecondition(path, hints, action);
        String id = newUpload(dest, action);
        boolean finished = false;
        try {
            MessageDigest sha1 = HashAlgorithm.SHA1.newDigest();
            long sent = sendChunks(id, dest, hints.size(), content, 0, 0, sha1, action);
            NextcloudDialect.Written w = assemble(id, path, sent, hints, HashAlgorithm.hex(sha1.digest()), action);
            finished = true;
            return dialect.afterWrite(path, hints, w, sent, action);
        } finally {
            if (!finished) {
                dav.deleteQuietly(dav.uploadUrl(id, null));
            }
        }
    }

    /** Before any chunk goes: a write whose precondition already fails sends nothing. */
    private void checkPrecondition(SyncPath path, WriteHints hints, String action) throws IOException {
        if (!hints.precondition().isNone() && !hints.precondition().matches(dav.stat(path))) {
            throw Dialect.changed(action, null);
        }
    }

    /** MKCOL of a fresh upload folder with the Destination header (chunking v2); returns its id. */
    private String newUpload(String dest, String action) throws IOException {
        sweepAbandonedUploads();
        String id = "ferry-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
                + Long.toHexString(System.nanoTime());
        OWN_UPLOADS.add(id);
        String dir = dav.uploadUrl(id, null);
        HttpMkCol mkcol = new HttpMkCol(dir);
        mkcol.setHeader("Destination", dest);
        dav.call(mkcol, action, dir, r -> dav.expect(r, action, dir, 201));
        return id;
    }

    /**
     * Before this target's first chunked upload: deletes Ferry's upload folders (a killed upload
     * nobody came back to continue) untouched for {@code tempMaxAge}. A live upload touches its
     * folder with every chunk, and one journaled for resuming is continued long before that.
     * Best effort: Nextcloud also expires upload folders itself after a day.
     */
    private void sweepAbandonedUploads() {
        if (!uploadsSwept.compareAndSet(false, true)) {
            return;
        }
        String base = DavPaths.url(dav.origin, dav.options.uploadSegments(), true);
        Instant cutoff = Instant.now().minus(dav.options.tempMaxAge());
        List<String> stale = new ArrayList<>();
        try {
            dav.call(Dav.propfind(base, "1"), "list the upload folders", base, r -> {
                if (r.getStatusLine().getStatusCode() != 207) {
                    return null;
                }
                Multistatus.parse(r.getEntity().getContent(), resp -> {
                    Optional<List<String>> segs = DavPaths.hrefSegments(resp.href());
                    if (segs.isEmpty() || !resp.collection() || segs.get().isEmpty()) {
                        return;
                    }
                    String id = segs.get().get(segs.get().size() - 1);
                    Optional<Instant> t = DavEntries.parseTime(resp.lastModified());
                    if (id.matches("ferry-[0-9a-f]+") && !OWN_UPLOADS.contains(id) && t.isPresent()
                            && t.get().isBefore(cutoff)) {
                        stale.add(id);
                    }
                });
                return null;
            });
        } catch (IOException | RuntimeException e) {
            return; // the upload itself goes on; the next target tries again
        }
        stale.forEach(id -> dav.deleteQuietly(dav.uploadUrl(id, null)));
    }

    /**
     * PUTs {@code in} as chunks numbered from {@code held + 1}, each {@code chunkSize} bytes but
     * the last, with Destination and OC-Total-Length; {@code done} bytes are already held. A
     * chunk is stored whole or not at all, so a failure leaves a clean prefix to resume from.
     *
     * @return the bytes this call sent
     */
    private long sendChunks(String id, String dest, long total, InputStream content, int held, long done,
            MessageDigest sha1, String action) throws IOException {
        PushbackInputStream peek = new PushbackInputStream(content, 1);
        ExactSizeInputStream in = new ExactSizeInputStream(peek, total < 0 ? -1 : total - done, action);
        long chunkSize = dav.options.chunkSize();
        long sent = 0;
        int n = held;
        while (true) {
            long len;
            if (total >= 0) {
                len = Math.min(chunkSize, total - done - sent);
                if (len == 0 && n > 0) {
                    break;
                }
            } else {
                int b = peek.read(); // past the counting stream: an unknown length has nothing to check
                if (b < 0 && n > 0) {
                    break;
                }
                if (b >= 0) {
                    peek.unread(b);
                }
                len = -1;
            }
            n++;
            if (n > 10_000) {
                throw new PermanentSyncException("cannot " + action + ": more than 10,000 chunks; raise chunkSize");
            }
            String chunkUrl = dav.uploadUrl(id, String.format("%05d", n));
            HttpPut put = new HttpPut(chunkUrl);
            put.setHeader("Destination", dest);
            if (total >= 0) {
                put.setHeader("OC-Total-Length", Long.toString(total));
            }
            UploadBody body = new UploadBody(in, len, chunkSize, sha1);
            put.setEntity(body);
            dav.upload(put, body, action, chunkUrl, r -> dav.expect(r, action, chunkUrl, 201, 204, 200));
            sent += body.sent();
            if (total < 0 && body.reachedEnd()) {
                break;
            }
        }
        in.checkComplete();
        return sent;
    }

    /**
     * MOVE of {@code .file} onto the destination. 423 means the server is still assembling or
     * someone holds a lock: wait and retry, doubling the wait; a 404 after a 423 means an earlier
     * attempt finished (the upload folder is gone), which the file's size confirms.
     */
    private NextcloudDialect.Written assemble(String id, SyncPath path, long total, WriteHints hints, String sha1,
            String action) throws IOException {
        String fileUrl = dav.uploadUrl(id, ".file");
        Duration wait = dav.options.lockRetry();
        boolean locked = false;
        WriteHints.Precondition pc = hints.precondition();
        for (int attempt = 0; ; attempt++) {
            HttpMove move = new HttpMove(fileUrl, dav.url(path, false), true);
            move.setHeader("OC-Total-Length", Long.toString(total));
            if (sha1 != null) {
                move.setHeader("OC-Checksum", "SHA1:" + sha1);
            }
            Dialect.ocMtime(hints).ifPresent(s -> move.setHeader("X-OC-Mtime", s));
            if (pc.mustBeAbsent()) {
                move.setHeader("Overwrite", "F");
            } else if (pc.expectedVersion().isPresent()) {
                move.setHeader("If-Match", pc.expectedVersion().get());
            } else if (!pc.isNone() && !pc.matches(dav.stat(path))) {
                throw Dialect.changed(action, null);
            }
            boolean mayWait = attempt < LOCK_RETRIES;
            NextcloudDialect.Written w;
            try {
                w = dav.call(move, action, fileUrl, r -> {
                    if (r.getStatusLine().getStatusCode() == 423 && mayWait) {
                        return null;
                    }
                    dav.expect(r, action, fileUrl, 201, 204);
                    return NextcloudDialect.Written.of(r, sha1);
                });
            } catch (PreconditionFailedException e) {
                throw Dialect.changed(action, e);
            } catch (NotFoundException e) {
                // After a 423 the upload folder may be gone because assembly finished.
                if (locked && dav.stat(path).filter(now -> now.size() == total).isPresent()) {
                    return new NextcloudDialect.Written(Optional.empty(), false, sha1);
                }
                throw e;
            }
            if (w != null) {
                return w;
            }
            locked = true;
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the server held a lock");
            }
            wait = wait.multipliedBy(2);
        }
    }

    // ---------------------------------------------------------------- resumable

    @Override
    public PartialWrite begin(SyncPath path, WriteHints hints) throws IOException {
        String action = "write " + dav.where(path);
        if (hints.size() < 0) {
            throw new PermanentSyncException("cannot " + action + ": a resumable write needs the size up front");
        }
        checkPrecondition(path, hints, action);
        String id = newUpload(dav.url(path, false), action);
        return new Partial(id, path, hints, HashAlgorithm.SHA1.newDigest());
    }

    @Override
    public Optional<PartialWrite> resume(String token, WriteHints hints) throws IOException {
        int sep = token.indexOf(':');
        if (sep <= 0 || !token.substring(0, sep).matches("ferry-[0-9a-f]+")) {
            return Optional.empty();
        }
        SyncPath path;
        try {
            path = SyncPath.of(token.substring(sep + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String id = token.substring(0, sep);
        if (held(id).isEmpty()) {
            return Optional.empty();
        }
        // The chunks sent by an earlier process cannot be read back (GET gives 405): no SHA-1
        // of the whole unless the source knew it.
        return Optional.of(new Partial(id, path, hints, null));
    }

    /** What an upload folder holds: its numbered chunks and their bytes. */
    private record Held(int chunks, long bytes) {}

    private Optional<Held> held(String id) throws IOException {
        String url = dav.uploadUrl(id, null);
        String action = "read the upload folder " + id;
        return dav.call(Dav.propfind(url, "1"), action, url, r -> {
            if (r.getStatusLine().getStatusCode() == 404) {
                return Optional.<Held>empty();
            }
            dav.expect(r, action, url, 207);
            int[] chunks = {0};
            long[] bytes = {0};
            Multistatus.parse(r.getEntity().getContent(), resp -> {
                Optional<List<String>> segs = DavPaths.hrefSegments(resp.href());
                if (segs.isPresent() && !resp.collection() && resp.status() == 200
                        && segs.get().get(segs.get().size() - 1).matches("\\d{1,5}")) {
                    chunks[0]++;
                    bytes[0] += Math.max(0, resp.length());
                }
            });
            return Optional.of(new Held(chunks[0], bytes[0]));
        });
    }

    /** One chunked upload, continued across processes by its token. */
    private final class Partial implements PartialWrite {
        private final String id;
        private final SyncPath path;
        private final WriteHints hints;
        private final String dest;
        private final String action;
        /** SHA-1 of everything sent, while every chunk so far went through this object. */
        private MessageDigest sha1;

        Partial(String id, SyncPath path, WriteHints hints, MessageDigest sha1) {
            this.id = id;
            this.path = path;
            this.hints = hints;
            this.sha1 = sha1;
            this.dest = dav.url(path, false);
            this.action = "write " + dav.where(path);
        }

        @Override
        public String token() {
            return id + ":" + path;
        }

        private Held heldNow() throws IOException {
            return held(id).orElseThrow(() -> new NotFoundException("cannot " + action
                    + ": the upload folder " + id + " is gone (finished, aborted or expired)"));
        }

        @Override
        public long committedBytes() throws IOException {
            return heldNow().bytes();
        }

        @Override
        public void append(InputStream content) throws IOException {
            Held h = heldNow();
            try {
                sendChunks(id, dest, hints.size(), content, h.chunks(), h.bytes(), sha1, action);
            } catch (IOException | RuntimeException e) {
                sha1 = null; // a failed chunk fed the digest bytes the server does not hold
                throw e;
            }
        }

        @Override
        public Entry complete() throws IOException {
            Held h = heldNow();
            if (h.bytes() != hints.size()) {
                throw new PermanentSyncException("cannot " + action + ": the server holds " + h.bytes()
                        + " bytes of the " + hints.size() + " announced; nothing was published");
            }
            String sum = sha1 != null ? HashAlgorithm.hex(sha1.digest()) : hints.hashes().get(HashAlgorithm.SHA1);
            NextcloudDialect.Written w;
            try {
                w = assemble(id, path, h.bytes(), hints, sum, action);
            } catch (PreconditionFailedException e) {
                abort(); // it can never succeed: leave no upload folder behind
                throw e;
            }
            return dialect.afterWrite(path, hints, w, h.bytes(), action);
        }

        @Override
        public void abort() throws IOException {
            String url = dav.uploadUrl(id, null);
            dav.call(new HttpDelete(url), "abort " + action, url, r -> dav.expect(r, "abort " + action, url, 200, 204, 404));
        }
    }
}
