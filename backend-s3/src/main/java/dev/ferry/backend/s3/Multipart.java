package dev.ferry.backend.s3;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.TransientSyncException;
import dev.ferry.api.WriteHints;
import dev.ferry.backend.support.ExactSizeInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Multipart uploads: parts of {@code partSize} read from the content and sent in parallel, at
 * most {@code uploadConcurrency} part buffers held across the target, each part with its
 * Content-MD5; nothing is visible at the key until the upload is completed. The resumable
 * writes ({@link ResumableUploads}) use the same steps.
 */
final class Multipart {

    /** Bytes read at a time into a part buffer, and hashed at once while they are in cache. */
    private static final int SLICE = 256 << 10;

    private final Bucket b;
    private final PartBuffers partBuffers;
    private final UploadSweep sweep;
    private final Preconditions preconditions;

    Multipart(Bucket b, UploadSweep sweep, Preconditions preconditions) {
        this.b = b;
        this.partBuffers = new PartBuffers(b.options.uploadConcurrency(), b.options.partSize());
        this.sweep = sweep;
        this.preconditions = preconditions;
    }

    /**
     * A multipart upload in one go (not resumable). Every part goes with its Content-MD5, which
     * the store checks. The whole content's MD5 is computed only when one was hinted: that hint
     * becomes the object's md5chksum when the upload starts, so it is checked against the bytes
     * actually sent before the upload is completed (a source changed since it was hashed must
     * not publish an object whose md5chksum lies). Without a hint the object has no MD5 anyone
     * could read back (a multipart ETag is none), so none is computed or returned: one pass over
     * the bytes fewer, and no check lost. The two digests are fed in the same pass, as each slice
     * is read.
     */
    Entry put(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        String key = b.key(path);
        ExactSizeInputStream sized = new ExactSizeInputStream(content, hints.size(), "write " + b.at(path));
        String hinted = hints.hashes().get(HashAlgorithm.MD5);
        String uploadId = createUpload(path, hints);
        List<Future<CompletedPart>> parts = new ArrayList<>();
        boolean done = false;
        try {
            MessageDigest whole = hinted != null ? HashAlgorithm.MD5.newDigest() : null;
            long total = sendParts(path, key, uploadId, b.options.partSize(), 1, 0, sized, -1, whole, parts);
            sized.checkComplete();
            String md5 = whole == null ? null : HashAlgorithm.hex(whole.digest());
            if (md5 != null && !md5.equalsIgnoreCase(hinted)) {
                // Retried by the engine, which hashes the source afresh for the next attempt.
                throw new TransientSyncException("cannot write " + b.at(path) + ": the MD5 of the content read is "
                        + md5 + ", not the " + hinted + " announced (changed while being sent?); nothing was published");
            }
            List<CompletedPart> completed = new ArrayList<>(parts.size());
            for (Future<CompletedPart> f : parts) {
                completed.add(b.await(f, "upload a part of", path));
            }
            String etag = complete(path, key, uploadId, completed, hints);
            done = true;
            return ObjectInfo.written(path, total, hints, md5, etag);
        } finally {
            if (!done) {
                Bucket.settle(parts);
                sweep.abort(key, uploadId);
            }
        }
    }

    /**
     * Starts a multipart upload at the final key with the metadata a finished object carries
     * (rclone's mtime, and md5chksum when the content's MD5 is known before sending, since the
     * multipart ETag is not one), the storage class and the encryption. Remembered as this
     * process's own until completed or aborted, so that the sweep of abandoned uploads spares it.
     */
    String createUpload(SyncPath path, WriteHints hints) throws IOException {
        sweep.sweepOnce();
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(b.name)
                .key(b.key(path)).contentType("application/octet-stream")
                .metadata(ObjectInfo.metadataFor(hints, Optional.ofNullable(hints.hashes().get(HashAlgorithm.MD5))));
        b.options.storageClass().ifPresent(create::storageClass);
        b.options.sse().ifPresent(create::serverSideEncryption);
        try {
            String uploadId = b.client.createMultipartUpload(create.build()).uploadId();
            UploadSweep.own(uploadId);
            return uploadId;
        } catch (SdkException e) {
            throw S3Errors.map(e, "start an upload of", b.at(path));
        }
    }

    /**
     * Reads {@code content} in parts of {@code partSize} and hands each to a worker, numbered
     * from {@code firstNumber}; at most {@code uploadConcurrency} part buffers are held across the
     * target. Returns once every part has been handed over (not finished: see {@code parts}).
     *
     * <p>Each part goes with its Content-MD5. With a whole-content {@code digest} the part's MD5
     * is fed in the same pass, slice by slice as it is read (while the slice is in cache);
     * without one, the worker that sends the part computes it, so parts are hashed in parallel.
     *
     * @param already bytes of the content before {@code content}, counted against {@code atMost}
     * @param atMost the most the content may hold with {@code already}, or -1 (an append's bound)
     * @param digest updated with every byte read, if given
     * @return {@code already} plus the bytes read
     */
    long sendParts(SyncPath path, String key, String uploadId, int partSize, int firstNumber, long already,
            InputStream content, long atMost, MessageDigest digest, List<Future<CompletedPart>> parts)
            throws IOException {
        long total = already;
        try {
            for (int number = firstNumber; ; number++) {
                failFast(parts, path);
                byte[] buf = partBuffers.take(partSize);
                boolean handedOver = false;
                try {
                    MessageDigest partDigest = digest == null ? null : HashAlgorithm.MD5.newDigest();
                    int n = readPart(content, buf, digest, partDigest);
                    // An empty content still needs one (empty) part to complete; further empty reads end it.
                    if (n == 0 && (number > 1 || already > 0)) {
                        break;
                    }
                    total += n;
                    if (atMost >= 0 && total > atMost) {
                        throw new PermanentSyncException("cannot write " + b.at(path)
                                + ": the content is longer than the " + atMost + " bytes announced");
                    }
                    byte[] partMd5 = partDigest == null ? null : partDigest.digest();
                    int partNumber = number;
                    parts.add(b.workers.submit(() -> {
                        try {
                            return uploadPart(key, uploadId, partNumber, buf, n,
                                    partMd5 != null ? partMd5 : ObjectInfo.md5(buf, n));
                        } finally {
                            partBuffers.give(buf);
                        }
                    }));
                    handedOver = true;
                    if (n < partSize) {
                        break;
                    }
                } finally {
                    if (!handedOver) {
                        partBuffers.give(buf);
                    }
                }
            }
            return total;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading " + b.at(path));
        }
    }

    /**
     * Fills {@code buf} from {@code content} (fewer bytes only at its end), feeding each slice to
     * the digests given as soon as it is read: one pass over the bytes for both.
     */
    private static int readPart(InputStream content, byte[] buf, MessageDigest whole, MessageDigest part)
            throws IOException {
        if (whole == null && part == null) {
            return content.readNBytes(buf, 0, buf.length);
        }
        int n = 0;
        while (n < buf.length) {
            int r = content.readNBytes(buf, n, Math.min(SLICE, buf.length - n));
            if (r == 0) {
                break;
            }
            if (whole != null) {
                whole.update(buf, n, r);
            }
            if (part != null) {
                part.update(buf, n, r);
            }
            n += r;
        }
        return n;
    }

    /**
     * Completes an upload, the request that publishes it, with the write's precondition (see
     * {@link Preconditions}); returns the ETag.
     */
    String complete(SyncPath path, String key, String uploadId, List<CompletedPart> parts, WriteHints hints)
            throws IOException {
        CompleteMultipartUploadRequest.Builder complete = CompleteMultipartUploadRequest.builder()
                .bucket(b.name).key(key).uploadId(uploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build());
        preconditions.onComplete(complete, hints.precondition());
        preconditions.checkBeforePublishing(path, hints.precondition());
        try {
            String etag = b.client.completeMultipartUpload(complete.build()).eTag();
            UploadSweep.ended(uploadId);
            return etag;
        } catch (SdkException e) {
            throw S3Errors.map(e, "complete the upload of", b.at(path));
        }
    }

    /**
     * Sends one part with its Content-MD5: the store refuses a part whose bytes do not match it
     * (400 BadDigest), and the header is signed, so the payload itself need not be (see
     * {@link ContentMd5AuthScheme}).
     */
    private CompletedPart uploadPart(String key, String uploadId, int number, byte[] buf, int len, byte[] md5)
            throws IOException {
        try {
            String etag = b.client.uploadPart(UploadPartRequest.builder().bucket(b.name).key(key).uploadId(uploadId)
                            .partNumber(number).contentLength((long) len)
                            .contentMD5(Base64.getEncoder().encodeToString(md5)).build(),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, len), len,
                            "application/octet-stream")).eTag();
            return CompletedPart.builder().partNumber(number).eTag(etag).build();
        } catch (SdkException e) {
            throw S3Errors.map(e, "upload part " + number + " of", "'" + key + "' in s3://" + b.name + " at "
                    + b.endpoint());
        }
    }

    /** Throws the first failure among the parts already finished, so a broken upload stops reading. */
    private void failFast(List<Future<CompletedPart>> parts, SyncPath path) throws IOException {
        for (Future<CompletedPart> f : parts) {
            if (f.isDone()) {
                b.await(f, "upload a part of", path);
            }
        }
    }

    void clear() {
        partBuffers.clear();
    }
}
