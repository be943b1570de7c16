package dev.ferry.backend.s3;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import dev.ferry.backend.support.ExactSizeInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Content in one PutObject: streamed from the source when its MD5 is known before sending, or
 * buffered and hashed here. Also the zero-byte {@code dir/} marker of an empty directory.
 */
final class SingleUploads {

    private final Bucket b;
    private final Preconditions preconditions;

    SingleUploads(Bucket b, Preconditions preconditions) {
        this.b = b;
        this.preconditions = preconditions;
    }

    /**
     * Reads content of a known size whole into memory, held to that size: a source that ends
     * early or goes on fails here, before anything is sent.
     */
    byte[] readWhole(SyncPath path, InputStream content, long size) throws IOException {
        ExactSizeInputStream sized = new ExactSizeInputStream(content, size, "write " + b.at(path));
        byte[] buf = new byte[(int) size];
        sized.readNBytes(buf, 0, buf.length);
        sized.read(); // the end: a longer content fails here
        sized.checkComplete();
        return buf;
    }

    /**
     * The one way a PutObject of a file is built, buffered or streamed: its length and
     * Content-MD5, rclone's mtime (and md5chksum only where the ETag is no MD5: SSE-KMS), the
     * storage class, the encryption, and the write's precondition.
     */
    private PutObjectRequest putRequest(SyncPath path, long length, byte[] md5, WriteHints hints) {
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(b.name).key(b.key(path))
                .contentLength(length)
                .contentMD5(Base64.getEncoder().encodeToString(md5))
                .metadata(ObjectInfo.metadataFor(hints,
                        b.etagIsMd5() ? Optional.empty() : Optional.of(HashAlgorithm.hex(md5))));
        b.options.storageClass().ifPresent(req::storageClass);
        b.options.sse().ifPresent(req::serverSideEncryption);
        preconditions.onPut(req, hints.precondition());
        return req.build();
    }

    /** One PUT of buffered content, its MD5 computed here for the Content-MD5. */
    Entry putBuffered(SyncPath path, byte[] buf, int len, WriteHints hints) throws IOException {
        byte[] digest = ObjectInfo.md5(buf, len);
        PutObjectRequest req = putRequest(path, len, digest, hints);
        preconditions.checkBeforePublishing(path, hints.precondition());
        try {
            PutObjectResponse r = b.client.putObject(req,
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, len), len,
                            "application/octet-stream"));
            return ObjectInfo.written(path, len, hints, HashAlgorithm.hex(digest), r.eTag());
        } catch (SdkException e) {
            throw S3Errors.map(e, "write", b.at(path));
        }
    }

    /**
     * One PUT whose body is read straight from {@code content} as the HTTP client sends it, with
     * the MD5 known before sending as its Content-MD5: no buffer and no pass over the bytes here.
     * The store checks the body against the MD5 and refuses a mismatch (400 BadDigest, transient:
     * a source changed since it was hashed, or a byte damaged on the way; the engine retries, and
     * asks the source for the hash again). Content shorter or longer than {@code size} fails the
     * request before its body is complete, so the store never takes it; a failure of the source
     * itself reaches the caller as it was thrown. See {@link StreamedBody} for the SDK's retry.
     * Only for a write whose precondition the store settles itself
     * ({@link Preconditions#needsContentFirst}).
     */
    Entry putStreamed(SyncPath path, InputStream content, long size, byte[] md5, WriteHints hints)
            throws IOException {
        StreamedBody body = new StreamedBody(content, size, b.at(path));
        try {
            PutObjectResponse r = b.client.putObject(putRequest(path, size, md5, hints),
                    RequestBody.fromContentProvider(body, size, "application/octet-stream"));
            body.checkWhole();
            return ObjectInfo.written(path, size, hints, HashAlgorithm.hex(md5), r.eTag());
        } catch (SdkException | UncheckedIOException e) {
            IOException own = body.failure();
            if (own != null) {
                own.addSuppressed(e);
                throw own;
            }
            throw preconditions.afterFailure(path, hints.precondition(), HashAlgorithm.hex(md5),
                    S3Errors.map(e, "write", b.at(path)));
        }
    }

    /** An empty directory as a zero-byte {@code dir/} object, with the {@code directoryMarkers} option. */
    void makeDirectories(SyncPath directory) throws IOException {
        if (!b.options.directoryMarkers() || directory.isRoot()) {
            return; // directories are implied by the keys below them
        }
        try {
            b.client.putObject(PutObjectRequest.builder().bucket(b.name).key(b.key(directory) + "/").contentLength(0L)
                            .contentMD5(Base64.getEncoder().encodeToString(ObjectInfo.md5(new byte[0], 0))).build(),
                    RequestBody.empty());
        } catch (SdkException e) {
            throw S3Errors.map(e, "create directory", b.at(directory));
        }
    }
}
