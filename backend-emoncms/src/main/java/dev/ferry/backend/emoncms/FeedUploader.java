package dev.ferry.backend.emoncms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.AuthenticationException;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.TransientSyncException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends new points of one feed: through {@code feed/sync} in requests of at most the upload
 * budget, or through the legacy {@code feed/upload.json} where the server has no {@code feed/sync}.
 * What is new is decided from the remote meta, never from timestamps; after any failed or partial
 * request the remote meta is read again and sending goes on from what the server really holds,
 * so every point arrives exactly once.
 */
final class FeedUploader {

    private static final Logger LOG = LoggerFactory.getLogger(FeedUploader.class);
    /** Attempts per request before the failure goes to the engine (whose retry or next run goes on). */
    private static final int ATTEMPTS = 3;
    /** The legacy route's block, as the sync module 2.x sent it: 131,072 points. */
    private static final int LEGACY_BLOCK = 131_072 * 4;

    private final EmoncmsHttp http;
    private final FeedCatalog catalog;
    private final int budget;
    private volatile boolean legacy;

    FeedUploader(EmoncmsHttp http, FeedCatalog catalog, int budget, boolean legacy) {
        this.http = http;
        this.catalog = catalog;
        this.budget = budget;
        this.legacy = legacy;
    }

    /**
     * Adds {@code content} (the source's data bytes from {@code remote.size()} on) to the remote feed.
     *
     * @param remote the remote feed as just read from the server
     * @param source the source's layout (engine, interval, start time)
     * @param expectedSize the data bytes the plan saw at the remote
     * @return the remote feed's meta afterwards
     */
    FeedMeta append(FeedMeta remote, FeedMeta source, long expectedSize, InputStream content) throws IOException {
        if (remote.size() != expectedSize) {
            throw new PreconditionFailedException("feed " + remote.label() + " at " + http.base() + " holds " + remote.size()
                    + " bytes, not the " + expectedSize + " planned: it changed since it was listed");
        }
        if (remote.mismatch(source).isPresent()) {
            throw new PermanentSyncException("feed " + remote.label() + " at " + http.base() + " cannot take the source's points: "
                    + remote.mismatch(source).get() + " (nothing sent; Ferry never rewrites a feed's history)");
        }
        if (source.engine() == FeedEngine.PHPFINA && (source.startTime() <= 0 || source.interval() <= 0)) {
            throw new PermanentSyncException("feed " + remote.label() + ": the source has no start time or interval");
        }
        FeedMeta cur = remote;
        FeedEngine engine = remote.engine();
        SyncBody body = new SyncBody(budget);
        int room = body.room(engine);
        while (true) {
            int off = body.dataOffset(engine);
            int n = content.readNBytes(body.array(), off, room);
            if (n % engine.pointSize() != 0) {
                throw new PermanentSyncException("feed " + remote.label() + ": the source's data ends in a part of a point ("
                        + n % engine.pointSize() + " bytes of " + engine.pointSize() + "): not a whole number of points");
            }
            if (n == 0) {
                return cur;
            }
            cur = sendChunk(cur, source, body.array(), off, n);
            body = new SyncBody(budget);
        }
    }

    /** Sends one chunk of points, retrying from the remote's real state; returns the meta after. */
    private FeedMeta sendChunk(FeedMeta cur, FeedMeta source, byte[] data, int off, int n) throws IOException {
        FeedEngine engine = cur.engine();
        long target = cur.npoints() + n / engine.pointSize();
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            long done = (cur.npoints() - (target - n / engine.pointSize())) * engine.pointSize();
            try {
                FeedMeta after = legacy ? sendLegacy(cur, source, data, off + (int) done, n - (int) done)
                        : sendSync(cur, source, data, off + (int) done, n - (int) done);
                if (after.npoints() == target) {
                    return after;
                }
                last = new TransientSyncException("feed " + cur.label() + ": the server holds " + after.npoints()
                        + " points after the upload, not " + target);
            } catch (EmoncmsHttp.MissingRouteException e) {
                if (legacy || engine != FeedEngine.PHPFINA) {
                    throw new PermanentSyncException("Emoncms at " + http.base() + " has neither feed/sync nor (for this engine) "
                            + "feed/upload.json: " + e.getMessage(), e);
                }
                LOG.info("Emoncms at {} has no feed/sync (before 11.5.7): uploading through feed/upload.json", http.base());
                legacy = true;
                attempt--;
                continue;
            } catch (AuthenticationException | NotFoundException e) {
                throw e;
            } catch (IOException e) {
                last = e;
            }
            // Never trust a cached point count after a failed or partial request.
            FeedMeta fresh;
            try {
                fresh = catalog.refresh(cur);
            } catch (NotFoundException e) {
                throw e;
            } catch (IOException e) {
                throw withProgress(last, cur);
            }
            long first = target - n / engine.pointSize();
            if (fresh.npoints() < first || fresh.npoints() > target || fresh.mismatch(source).isPresent()) {
                throw new PermanentSyncException("feed " + cur.label() + " at " + http.base() + " changed during the upload (now "
                        + fresh.npoints() + " points, expected " + first + " to " + target + "): " + last.getMessage(), last);
            }
            cur = fresh;
            if (cur.npoints() == target) {
                return cur;
            }
            LOG.info("feed {}: upload attempt {} failed ({}), remote holds {} points, sending the rest again",
                    cur.label(), attempt, last.getMessage(), cur.npoints());
            sleep(attempt);
        }
        throw withProgress(last, cur);
    }

    private FeedMeta sendSync(FeedMeta cur, FeedMeta source, byte[] data, int off, int n) throws IOException {
        FeedEngine engine = cur.engine();
        SyncBody body = new SyncBody(engine.segmentHeader() + n + 4);
        System.arraycopy(data, off, body.array(), body.dataOffset(engine), n);
        body.segment(cur, source.startTime(), source.interval(), cur.size(), n);
        int len = body.finish();
        JsonNode r = http.postBytes("feed/sync", Map.of(), body.array(), len);
        if (!r.path("success").asBoolean(false)) {
            String msg = r.path("message").asText(EmoncmsHttp.snippet(r.toString().getBytes()));
            throw "Invalid checksum".equals(msg)
                    ? new TransientSyncException("Emoncms at " + http.base() + " answered Invalid checksum: the request was damaged on the way")
                    : new PermanentSyncException("Emoncms at " + http.base() + " refused the upload to " + cur.label() + ": " + msg);
        }
        JsonNode metas = r.path("updated_feed_meta");
        JsonNode m = metas.size() > 0 ? metas.get(metas.size() - 1) : null;
        if (m == null || !m.isObject()) {
            return catalog.refresh(cur);
        }
        long npoints = (long) m.path("npoints").asDouble(-1);
        long start = (long) m.path("start_time").asDouble(cur.startTime());
        long interval = cur.engine() == FeedEngine.PHPFINA ? (long) m.path("interval").asDouble(source.interval()) : 0;
        long end = (long) m.path("end_time").asDouble(0);
        return new FeedMeta(cur.id(), cur.tag(), cur.name(), cur.engine(), interval, start, npoints, end);
    }

    /** Sync module 2.x's way: blocks of float32 at a timestamp; PHPFina only. */
    private FeedMeta sendLegacy(FeedMeta cur, FeedMeta source, byte[] data, int off, int n) throws IOException {
        if (cur.engine() != FeedEngine.PHPFINA) {
            throw new PermanentSyncException("feed/upload.json takes only PHPFina feeds; " + cur.label() + " is PHPTimeSeries");
        }
        long npoints = cur.npoints();
        for (int done = 0; done < n; ) {
            int len = Math.min(LEGACY_BLOCK, n - done);
            long start = source.startTime() + source.interval() * npoints;
            byte[] block = java.util.Arrays.copyOfRange(data, off + done, off + done + len);
            JsonNode r = http.postBytes("feed/upload.json", Map.of("id", String.valueOf(cur.id()), "start", String.valueOf(start),
                    "interval", String.valueOf(source.interval()), "npoints", String.valueOf(len / 4)), block, len);
            if (!r.asBoolean(false)) {
                throw new PermanentSyncException("Emoncms at " + http.base() + " refused feed/upload.json for " + cur.label() + ": " + r);
            }
            done += len;
            npoints += len / 4;
        }
        return catalog.refresh(cur);
    }

    private IOException withProgress(IOException last, FeedMeta cur) {
        String msg = "feed " + cur.label() + ": upload failed with " + cur.npoints() + " points at " + http.base()
                + " (the next run goes on from there): " + last.getMessage();
        return last instanceof PermanentSyncException ? new PermanentSyncException(msg, last) : new TransientSyncException(msg, last);
    }

    private static void sleep(int attempt) throws IOException {
        try {
            Thread.sleep(500L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }
}
