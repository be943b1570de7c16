package dev.ferry.backend.s3;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Optional;
import java.util.Set;

/**
 * Which way a write goes, by its size, by whether its MD5 is known before sending, and by its
 * precondition:
 *
 * <ul>
 * <li>up to {@code multipartCutoff} with an MD5 in the hints: one PUT streamed from the content,
 *     the MD5 as its Content-MD5 (nothing buffered, nothing hashed here; the store checks the
 *     body against it), unless the write has a precondition the store does not settle
 *     atomically ({@link Preconditions#needsContentFirst}): then it goes one of the ways below,
 *     which read the content whole before the request that publishes it;
 * <li>up to {@code bufferLimit} (and the cutoff): buffered, hashed, one PUT;
 * <li>anything else (and content of unknown size that turns out larger than the buffer limit):
 *     a multipart upload, parts from the pool.
 * </ul>
 */
final class WritePaths {

    private final Bucket b;
    private final SingleUploads single;
    private final Multipart multipart;
    private final UploadSweep sweep;
    private final Preconditions preconditions;

    WritePaths(Bucket b, SingleUploads single, Multipart multipart, UploadSweep sweep, Preconditions preconditions) {
        this.b = b;
        this.single = single;
        this.multipart = multipart;
        this.sweep = sweep;
        this.preconditions = preconditions;
    }

    Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        if (path.isRoot()) {
            throw new PermanentSyncException("cannot write the root of " + b.where);
        }
        sweep.sweepOnce();
        long size = hints.size();
        Optional<byte[]> md5 = ObjectInfo.hintedMd5(hints);
        if (size > 0 && size <= b.options.multipartCutoff() && md5.isPresent()
                && !preconditions.needsContentFirst(hints.precondition())) {
            return single.putStreamed(path, content, size, md5.get(), hints);
        }
        long limit = bufferedLimit();
        if (size >= 0 && size <= limit) {
            byte[] buf = single.readWhole(path, content, size);
            return single.putBuffered(path, buf, buf.length, hints);
        }
        if (size < 0) {
            byte[] buf = new byte[(int) limit + 1];
            int n = content.readNBytes(buf, 0, buf.length);
            if (n <= limit) {
                return single.putBuffered(path, buf, n, hints);
            }
            return multipart.put(path, new SequenceInputStream(new ByteArrayInputStream(buf, 0, n), content), hints);
        }
        return multipart.put(path, content, hints);
    }

    /**
     * MD5 for every size above the buffer limit: a file up to {@code multipartCutoff} then goes as
     * one streamed PUT with it as its Content-MD5, a larger one as a multipart upload with it as
     * rclone's md5chksum (its ETag is no MD5, and the metadata is fixed when the upload starts).
     * Up to the buffer limit the target hashes the buffered bytes itself.
     */
    Set<HashAlgorithm> hashesWanted(long size) {
        return size > bufferedLimit() ? Set.of(HashAlgorithm.MD5) : Set.of();
    }

    /**
     * {@code multipartCutoff + 1}: a file up to the cutoff goes as one PUT through
     * {@link #write}, which cannot be continued after a crash but costs one request and no extra
     * pass (streamed, with the MD5 the engine asked the source for); a larger one as a multipart
     * upload that can.
     */
    long minimumResumableSize() {
        return b.options.multipartCutoff() + 1;
    }

    /**
     * The most content buffered to be sent in one PUT when its MD5 is not known before sending:
     * {@code bufferLimit}, but never more than the multipart cutoff.
     */
    long bufferedLimit() {
        return Math.min(b.options.bufferLimit(), b.options.multipartCutoff());
    }
}
