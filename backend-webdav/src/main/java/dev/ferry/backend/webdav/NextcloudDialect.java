package dev.ferry.backend.webdav;

import com.github.sardine.impl.methods.HttpPropPatch;
import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import dev.ferry.backend.support.ExactSizeInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.http.Header;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpPut;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nextcloud: a PUT is atomic on the server (it writes a part file and renames), so it goes
 * straight to the path with {@code X-OC-Mtime}, {@code OC-Checksum: SHA1:…} (a PUT without it
 * clears the stored checksum) and {@code If-Match} / {@code If-None-Match: *}; files above the
 * chunk size, or too large to hash first, use chunked upload v2 ({@link ChunkedUpload}).
 *
 * <p>What it can do is known, not probed (a probe file would land in the user's trash bin on
 * every run): times kept to the second through X-OC-Mtime, SHA-1 through OC-Checksum, If-Match
 * honoured (Sabre's checkPreconditions), chunking v2. Each write still checks that the server
 * said {@code X-OC-MTime: accepted}, and falls back to PROPPATCH where it did not.
 */
final class NextcloudDialect implements Dialect {

    private static final Logger LOG = LoggerFactory.getLogger(NextcloudDialect.class);
    /** Small uploads of unknown hash are read into memory to send OC-Checksum up front. */
    static final int HASH_BUFFER = 1 << 20;

    private final Dav dav;
    private final ChunkedUpload chunked;
    private final Capabilities capabilities;

    NextcloudDialect(Dav dav) {
        this.dav = dav;
        this.chunked = new ChunkedUpload(dav, this);
        Capabilities.Builder b = Dialect.base().keepsModTime(true).conditionalWrites(true);
        if (dav.options.chunkSize() > 0) {
            // Without chunking, a large file of unknown SHA-1 goes without OC-Checksum: not claimed.
            b.hashes(EnumSet.of(HashAlgorithm.SHA1));
        }
        this.capabilities = b.build();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public boolean setsModTime() {
        return true;
    }

    @Override
    public Optional<ResumableWriter> resumable() {
        return dav.options.chunkSize() > 0 ? Optional.of(chunked) : Optional.empty();
    }

    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        long size = hints.size();
        Optional<String> sha1 = Optional.ofNullable(hints.hashes().get(HashAlgorithm.SHA1));
        long chunk = dav.options.chunkSize();
        if (chunk > 0 && (size < 0 || size > chunk || (sha1.isEmpty() && size > HASH_BUFFER))) {
            return chunked.write(path, content, hints);
        }
        String url = dav.url(path, false);
        String action = "write " + dav.where(path);
        HttpPut put = new HttpPut(url);
        Dialect.ocMtime(hints).ifPresent(s -> put.setHeader("X-OC-Mtime", s));
        ExactSizeInputStream in = new ExactSizeInputStream(content, size, action);
        UploadBody streamed = null;
        if (sha1.isEmpty() && size >= 0 && size <= HASH_BUFFER) {
            byte[] data = in.readNBytes((int) size + 1); // the stream fails on more or fewer bytes
            sha1 = Optional.of(HashAlgorithm.hex(HashAlgorithm.SHA1.newDigest().digest(data)));
            put.setEntity(new ByteArrayEntity(data));
        } else {
            streamed = UploadBody.whole(in);
            put.setEntity(streamed);
        }
        // As late as a single request allows: Sabre checks these when the PUT arrives, and the
        // file stays locked against other writers until the part file is renamed into place.
        preconditionHeaders(put, path, hints.precondition(), action);
        sha1.ifPresent(h -> put.setHeader("OC-Checksum", "SHA1:" + h));
        String sum = sha1.orElse(null);
        Written w;
        try {
            w = dav.upload(put, streamed, action, url, r -> {
                dav.expect(r, action, url, 200, 201, 204);
                return Written.of(r, sum);
            });
        } catch (PreconditionFailedException e) {
            throw Dialect.changed(action, e);
        }
        in.checkComplete();
        return afterWrite(path, hints, w, in.count(), action);
    }

    /**
     * If-None-Match: * or If-Match for the precondition; a condition on size and time without a
     * version token (rare: Nextcloud lists ETags) is checked with a PROPFIND just before.
     */
    void preconditionHeaders(HttpRequestBase req, SyncPath path, WriteHints.Precondition pc, String action)
            throws IOException {
        if (pc.mustBeAbsent()) {
            req.setHeader("If-None-Match", "*");
        } else if (pc.expectedVersion().isPresent()) {
            req.setHeader("If-Match", pc.expectedVersion().get());
        } else if (!pc.isNone() && !pc.matches(dav.stat(path))) {
            throw Dialect.changed(action, null);
        }
    }

    /** What a write's answer said: enough, usually, to describe the file without asking again. */
    record Written(Optional<String> etag, boolean mtimeAccepted, String sha1) {
        static Written of(HttpResponse r, String sha1) {
            Header e = r.getFirstHeader("OC-ETag");
            if (e == null) {
                e = r.getFirstHeader("ETag");
            }
            return new Written(DavEntries.version(Optional.ofNullable(e).map(Header::getValue)), NextcloudDialect.mtimeAccepted(r), sha1);
        }
    }

    static boolean mtimeAccepted(HttpResponse r) {
        Header h = r.getFirstHeader("X-OC-MTime");
        return h != null && h.getValue().trim().equalsIgnoreCase("accepted");
    }

    /**
     * The written file's entry, from the answer when it told the ETag and accepted the time (no
     * PROPFIND after every PUT); else the time is set by PROPPATCH where X-OC-Mtime was not
     * accepted, and the file asked for once.
     */
    Entry afterWrite(SyncPath path, WriteHints hints, Written w, long size, String action) throws IOException {
        Optional<Instant> want = hints.modTime().filter(t -> t.getEpochSecond() >= MIN_OC_MTIME);
        if (want.isPresent() && w.mtimeAccepted() && w.etag().isPresent()) {
            Entry.Builder b = Entry.file(path, size).modTime(Instant.ofEpochSecond(want.get().getEpochSecond()))
                    .modTimePrecision(DavEntries.SECOND).version(w.etag().get());
            if (w.sha1() != null) {
                b.hash(HashAlgorithm.SHA1, w.sha1());
            }
            return b.build();
        }
        if (want.isPresent() && !w.mtimeAccepted()) {
            try {
                return setModTime(path, want.get());
            } catch (PermanentSyncException e) {
                // The content is in place; a time the server refuses is reported, not a failed write.
                LOG.warn("{}: the server kept neither X-OC-Mtime nor a PROPPATCH of lastmodified; the file has the "
                        + "server's time", dav.where(path));
            }
        }
        return dav.storedEntry(path, action);
    }

    @Override
    public Entry afterCopy(Entry src, SyncPath to, Entry copied) throws IOException {
        // A copy's mtime is not guaranteed on Nextcloud: put the source's back.
        if (src.modTime().isPresent() && !src.modTime().equals(copied.modTime())) {
            return setModTime(to, src.modTime().get());
        }
        return copied;
    }

    /** PROPPATCH of {@code DAV:lastmodified}; a 207 does not mean success, the property's status does. */
    @Override
    public Entry setModTime(SyncPath path, Instant modTime) throws IOException {
        String url = dav.url(path, false);
        String action = "set the time of " + dav.where(path);
        HttpPropPatch patch = new HttpPropPatch(url);
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                + "<d:propertyupdate xmlns:d=\"DAV:\"><d:set><d:prop><d:lastmodified>" + modTime.getEpochSecond()
                + "</d:lastmodified></d:prop></d:set></d:propertyupdate>";
        patch.setEntity(new StringEntity(body, ContentType.create("application/xml", StandardCharsets.UTF_8)));
        boolean ok = dav.call(patch, action, url, r -> {
            dav.expect(r, action, url, 207);
            String xml = new String(r.getEntity().getContent().readNBytes(1 << 16), StandardCharsets.UTF_8);
            Matcher m = PROPSTAT_STATUS.matcher(xml);
            return m.find() && Integer.parseInt(m.group(1)) == 200;
        });
        if (!ok) {
            throw new PermanentSyncException("cannot " + action + ": the server refused to change lastmodified");
        }
        return dav.storedEntry(path, action);
    }

    /** The status of the one property a PROPPATCH set. */
    private static final Pattern PROPSTAT_STATUS = Pattern.compile("<(?:\\w+:)?status>\\s*HTTP/\\d\\.\\d\\s+(\\d{3})");
}
