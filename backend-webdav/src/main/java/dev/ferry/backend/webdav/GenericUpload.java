package dev.ferry.backend.webdav;

import com.github.sardine.impl.methods.HttpMove;
import dev.ferry.api.Entry;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import dev.ferry.backend.support.ExactSizeInputStream;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.http.client.methods.HttpPut;

/**
 * Generic servers: PUT to a temporary name beside the file, then MOVE it into place. The MOVE is
 * where the new content becomes visible, so the precondition goes with it: {@code Overwrite: F}
 * for "must be absent", and for an expected version an {@code If} header tagged with the
 * destination's URL and ETag (RFC 4918 §10.4), which Apache mod_dav checks on the destination
 * while it handles the MOVE. x/net/webdav (rclone serve) cannot evaluate ETag conditions and
 * refuses every such If with 412; the first such refusal (the file still matching) marks the
 * server, and from then on a PROPFIND Depth 0 right before the MOVE is the check.
 */
final class GenericUpload {

    /** Origins whose MOVE refused an If header although the destination still matched. */
    private static final Set<String> IF_REFUSED = ConcurrentHashMap.newKeySet();

    private final Dav dav;

    GenericUpload(Dav dav) {
        this.dav = dav;
    }

    Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        SyncPath temp = path.parent().child(TemporaryNames.newName(path.name()));
        String tempUrl = dav.url(temp, false);
        String action = "write " + dav.where(path);
        ExactSizeInputStream in = new ExactSizeInputStream(content, hints.size(), action);
        UploadBody body = UploadBody.whole(in);
        HttpPut put = new HttpPut(tempUrl);
        Dialect.ocMtime(hints).ifPresent(s -> put.setHeader("X-OC-Mtime", s));
        put.setEntity(body);
        boolean moved = false;
        try {
            dav.upload(put, body, action, tempUrl, r -> dav.expect(r, action, tempUrl, 200, 201, 204));
            in.checkComplete();
            moveIntoPlace(tempUrl, path, hints.precondition(), action);
            moved = true;
        } finally {
            if (!moved) {
                dav.deleteQuietly(tempUrl);
            }
        }
        return dav.storedEntry(path, action);
    }

    private void moveIntoPlace(String tempUrl, SyncPath path, WriteHints.Precondition pc, String action)
            throws IOException {
        String dest = dav.url(path, false);
        boolean useIf = pc.expectedVersion().isPresent() && !IF_REFUSED.contains(dav.origin);
        if (!pc.isNone() && !pc.mustBeAbsent() && !useIf) {
            // No conditional MOVE for this condition here: look right before it instead.
            checkNow(path, pc, action, null);
        }
        try {
            move(tempUrl, dest, pc, useIf, action);
        } catch (PreconditionFailedException e) {
            if (!useIf) {
                throw Dialect.changed(action, e);
            }
            // A changed file, or a server that cannot evaluate the If header? The file says.
            checkNow(path, pc, action, e);
            IF_REFUSED.add(dav.origin);
            try {
                move(tempUrl, dest, pc, false, action);
            } catch (PreconditionFailedException again) {
                throw Dialect.changed(action, again);
            }
        }
    }

    private void move(String tempUrl, String dest, WriteHints.Precondition pc, boolean useIf, String action)
            throws IOException {
        HttpMove move = new HttpMove(tempUrl, dest, true);
        if (pc.mustBeAbsent()) {
            // Overwrite: F turns "must be absent" into one atomic check on the server.
            move.setHeader("Overwrite", "F");
        } else if (useIf) {
            String etag = pc.expectedVersion().orElseThrow();
            move.setHeader("If", "<" + dest + "> ([" + (etag.startsWith("\"") ? etag : "\"" + etag + "\"") + "])");
        }
        dav.call(move, action, tempUrl, r -> dav.expect(r, action, dest, 201, 204));
    }

    /** PROPFIND Depth 0 of the destination compared with the precondition; a mismatch fails the write. */
    private void checkNow(SyncPath path, WriteHints.Precondition pc, String action, Throwable cause) throws IOException {
        Optional<Entry> now = dav.stat(path);
        if (!pc.matches(now)) {
            throw Dialect.changed(action, cause);
        }
    }
}
