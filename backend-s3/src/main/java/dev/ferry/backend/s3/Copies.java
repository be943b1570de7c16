package dev.ferry.backend.s3;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.TransientSyncException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;

/**
 * What the store does without the content passing through Ferry: server-side copies (multipart
 * copy above {@code copyCutoff}), moves as copy and delete, a new mtime as a copy onto itself
 * with replaced metadata, and deletes. The SPI gives copies and moves no precondition: they
 * replace what is at the destination.
 */
final class Copies {

    private final Bucket b;
    private final ObjectInfo info;
    private final UploadSweep sweep;

    Copies(Bucket b, ObjectInfo info, UploadSweep sweep) {
        this.b = b;
        this.info = info;
        this.sweep = sweep;
    }

    Entry copy(SyncPath from, SyncPath to) throws IOException {
        Entry source = info.stat(from).filter(Entry::isFile)
                .orElseThrow(() -> new NotFoundException("cannot copy " + b.at(from) + ": no such file"));
        return serverCopy(b, from, to, source, null);
    }

    /**
     * Copies {@code from} of another target's bucket on the same store and account ({@code src})
     * to {@code to} here: CopyObject across buckets or prefixes, no byte through the client.
     */
    Entry copyFrom(Bucket src, ObjectInfo srcInfo, SyncPath from, SyncPath to) throws IOException {
        Entry source = srcInfo.stat(from).filter(Entry::isFile)
                .orElseThrow(() -> new NotFoundException("cannot copy " + src.at(from) + ": no such file"));
        return serverCopy(src, from, to, source, null);
    }

    Entry move(SyncPath from, SyncPath to) throws IOException {
        Optional<Entry> source = info.stat(from);
        if (source.isEmpty()) {
            throw new NotFoundException("cannot move " + b.at(from) + ": nothing there");
        }
        if (source.get().isDirectory()) {
            throw new PermanentSyncException("cannot move " + b.at(from) + ": moving directories is not supported on S3");
        }
        Entry copied = serverCopy(b, from, to, source.get(), null);
        delete(from);
        return copied;
    }

    Entry setModTime(SyncPath path, Instant modTime) throws IOException {
        HeadObjectResponse h;
        try {
            h = b.client.headObject(r -> r.bucket(b.name).key(b.key(path)));
        } catch (NoSuchKeyException e) {
            throw new NotFoundException("cannot set the time of " + b.at(path) + ": no such file", e);
        } catch (SdkException e) {
            throw S3Errors.map(e, "set the time of", b.at(path));
        }
        Entry current = info.fileEntry(path, h.contentLength(), h.metadata(), h.eTag(), h.lastModified());
        Map<String, String> meta = new HashMap<>(h.metadata());
        meta.keySet().removeIf(k -> k.equalsIgnoreCase(RcloneMeta.MTIME));
        meta.put(RcloneMeta.MTIME, RcloneMeta.formatTime(modTime));
        // A copy onto itself re-computes a multipart ETag: keep the MD5 where only the ETag had it.
        if (current.hash(HashAlgorithm.MD5).isPresent()
                && meta.keySet().stream().noneMatch(k -> k.equalsIgnoreCase(RcloneMeta.MD5))
                && current.size() > b.options.copyCutoff()) {
            meta.put(RcloneMeta.MD5, RcloneMeta.md5Base64(current.hash(HashAlgorithm.MD5).get()));
        }
        return serverCopy(b, path, path, current, meta);
    }

    void delete(SyncPath path) throws IOException {
        if (path.isRoot()) {
            return;
        }
        try {
            b.client.deleteObject(r -> r.bucket(b.name).key(b.key(path)));
            if (b.options.directoryMarkers()) {
                b.client.deleteObject(r -> r.bucket(b.name).key(b.key(path) + "/"));
            }
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw S3Errors.map(e, "delete", b.at(path));
            }
        } catch (SdkException e) {
            throw S3Errors.map(e, "delete", b.at(path));
        }
    }

    /**
     * Copies {@code from} of {@code sb} (this bucket, or another on the same store) onto {@code to}
     * here; with {@code newMeta} the metadata is replaced (REPLACE), else kept. Multipart copy
     * above {@code copyCutoff}.
     */
    private Entry serverCopy(Bucket sb, SyncPath from, SyncPath to, Entry source, Map<String, String> newMeta)
            throws IOException {
        String src = sb.key(from);
        String dst = b.key(to);
        try {
            if (source.size() <= b.options.copyCutoff()) {
                CopyObjectRequest.Builder req = CopyObjectRequest.builder().sourceBucket(sb.name).sourceKey(src)
                        .destinationBucket(b.name).destinationKey(dst);
                if (newMeta != null) {
                    req.metadataDirective(MetadataDirective.REPLACE).metadata(newMeta).contentType("application/octet-stream");
                }
                b.options.storageClass().ifPresent(req::storageClass);
                b.options.sse().ifPresent(req::serverSideEncryption);
                CopyObjectResponse r = b.client.copyObject(req.build());
                String etag = r.copyObjectResult() == null ? null : r.copyObjectResult().eTag();
                return info.stat(to).filter(Entry::isFile).orElseGet(() -> source.withPath(to).toBuilder().version(etag)
                        .build()).toBuilder().path(to).build();
            }
            return multipartCopy(sb, from, to, source, newMeta);
        } catch (NoSuchKeyException e) {
            throw new NotFoundException("cannot copy " + sb.at(from) + ": no such file", e);
        } catch (SdkException e) {
            throw S3Errors.map(e, "copy " + sb.at(from) + " to", "'" + to + "'");
        }
    }

    private Entry multipartCopy(Bucket sb, SyncPath from, SyncPath to, Entry source, Map<String, String> newMeta)
            throws IOException {
        String src = sb.key(from);
        String dst = b.key(to);
        Map<String, String> meta = newMeta;
        if (meta == null) {
            HeadObjectResponse h = sb.client.headObject(r -> r.bucket(sb.name).key(src));
            meta = h.metadata();
        }
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(b.name).key(dst)
                .contentType("application/octet-stream").metadata(meta);
        b.options.storageClass().ifPresent(create::storageClass);
        b.options.sse().ifPresent(create::serverSideEncryption);
        String uploadId = b.client.createMultipartUpload(create.build()).uploadId();
        UploadSweep.own(uploadId);
        boolean done = false;
        List<Future<CompletedPart>> parts = new ArrayList<>();
        try {
            long size = source.size();
            // Parts of at least 512 MiB (fewer requests), and never more than 10,000.
            long partSize = Math.max(Math.max(b.options.partSize(), 512L << 20), (size + 9_999) / 10_000);
            int number = 1;
            for (long start = 0; start < size; start += partSize, number++) {
                long end = Math.min(size, start + partSize) - 1;
                int n = number;
                long s = start;
                parts.add(b.workers.submit(() -> {
                    String etag = b.client.uploadPartCopy(UploadPartCopyRequest.builder().sourceBucket(sb.name)
                            .sourceKey(src).destinationBucket(b.name).destinationKey(dst).uploadId(uploadId)
                            .partNumber(n).copySourceRange("bytes=" + s + "-" + end).build())
                            .copyPartResult().eTag();
                    return CompletedPart.builder().partNumber(n).eTag(etag).build();
                }));
            }
            List<CompletedPart> completed = new ArrayList<>();
            for (Future<CompletedPart> f : parts) {
                completed.add(b.await(f, "copy a part of", from));
            }
            b.client.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(b.name).key(dst)
                    .uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(completed).build())
                    .build());
            UploadSweep.ended(uploadId);
            done = true;
            return info.stat(to).filter(Entry::isFile).orElseThrow(() -> new TransientSyncException(
                    "copied " + b.at(from) + " to '" + to + "' but it is not there"));
        } finally {
            if (!done) {
                Bucket.settle(parts);
                sweep.abort(dst, uploadId);
            }
        }
    }
}
