package dev.ferry.backend.webdav;

import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.http.client.methods.HttpPut;
import org.apache.http.entity.ByteArrayEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a generic WebDAV server keeps, learnt by writing a one-byte temporary file with
 * {@code X-OC-Mtime} and {@code OC-Checksum} and reading back what the server kept (an ownCloud,
 * or an rclone ≥ 1.63, keeps both; Apache and nginx neither). The probe runs only when the target
 * is written anyway (a source is never written to), and its result is kept for the life of the
 * process per server, user and root, so later opens of the same place do not write again. Until
 * then the answer is the dialect's promise: no times, no hashes — the safe side, since the engine
 * then compares by size and the version tokens it remembers.
 */
final class CapabilityProbe {

    private static final Logger LOG = LoggerFactory.getLogger(CapabilityProbe.class);
    private static final Instant PROBE_TIME = Instant.ofEpochSecond(1_000_000_000L);
    /** Measured answers by "origin user root" (no credentials in the key). */
    private static final Map<String, Capabilities> MEASURED = new ConcurrentHashMap<>();

    private final Dav dav;
    private final String key;
    private final Capabilities promised;

    CapabilityProbe(Dav dav) {
        this.dav = dav;
        this.key = dav.origin + " " + dav.user() + " " + String.join("/", dav.options.rootSegments());
        this.promised = Dialect.base().keepsModTime(false).conditionalWrites(false).build();
    }

    Capabilities capabilities() {
        return MEASURED.getOrDefault(key, promised);
    }

    /** Before a write into the (existing) root: probes once per process and place. */
    void beforeWrite() {
        if (MEASURED.containsKey(key)) {
            return;
        }
        synchronized (MEASURED) {
            if (MEASURED.containsKey(key)) {
                return;
            }
            Capabilities.Builder b = Dialect.base().conditionalWrites(false);
            boolean mtime = false;
            boolean sha1 = false;
            try {
                Optional<boolean[]> p = probe();
                if (p.isEmpty()) {
                    return; // no root yet: ask again at the next write
                }
                mtime = p.get()[0];
                sha1 = p.get()[1];
            } catch (IOException e) {
                LOG.debug("capability probe of {} failed: {}", dav.description(), e.getMessage());
            }
            b.keepsModTime(mtime);
            if (sha1) {
                b.hashes(EnumSet.of(HashAlgorithm.SHA1));
            }
            MEASURED.put(key, b.build());
        }
    }

    /** {mtime kept, SHA-1 kept}; empty when the root does not exist. */
    private Optional<boolean[]> probe() throws IOException {
        Optional<Entry> root = dav.stat(SyncPath.ROOT);
        if (root.isEmpty() || !root.get().isDirectory()) {
            return Optional.empty();
        }
        SyncPath p = SyncPath.ROOT.child(TemporaryNames.newName("probe"));
        String url = dav.url(p, false);
        byte[] x = {'x'};
        String sha1 = HashAlgorithm.hex(HashAlgorithm.SHA1.newDigest().digest(x));
        HttpPut put = new HttpPut(url);
        put.setHeader("X-OC-Mtime", Long.toString(PROBE_TIME.getEpochSecond()));
        put.setHeader("OC-Checksum", "SHA1:" + sha1);
        put.setEntity(new ByteArrayEntity(x));
        boolean accepted;
        try {
            accepted = dav.call(put, "probe " + dav.description(), url, r -> {
                dav.expect(r, "probe", url, 200, 201, 204);
                return NextcloudDialect.mtimeAccepted(r);
            });
        } catch (PermanentSyncException e) {
            // A read-only root: nothing can be learned, nothing will be written either.
            return Optional.of(new boolean[] {false, false});
        }
        try {
            Optional<Entry> e = dav.statAny(p);
            boolean mtime = accepted || e.flatMap(Entry::modTime).filter(PROBE_TIME::equals).isPresent();
            boolean hash = e.flatMap(en -> en.hash(HashAlgorithm.SHA1)).filter(sha1::equals).isPresent();
            return Optional.of(new boolean[] {mtime, hash});
        } finally {
            dav.deleteQuietly(url);
        }
    }
}
