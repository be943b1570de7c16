package dev.ferry.backend.s3;

import dev.ferry.backend.support.TlsTrust;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of an {@link S3Target}. {@link #toString()} never shows the secret key.
 *
 * @param endpoint the S3-compatible endpoint ({@code http://127.0.0.1:9000}); empty for AWS
 * @param region the signing region; empty to use the SDK's region chain (us-east-1 if it finds none)
 * @param pathStyle path-style addressing ({@code host/bucket/key}); on by default with an endpoint
 * @param accessKey the access key id; empty to use the SDK's default credential chain
 * @param secretKey the secret access key, with {@code accessKey}
 * @param storageClass the storage class of new objects ({@code STANDARD_IA}...), if any
 * @param sse server-side encryption of new objects ({@code AES256}, {@code aws:kms}), if any
 * @param multipartCutoff objects larger than this are uploaded in parts; up to it, one PUT (200 MiB by
 *     default, rclone's {@code --s3-upload-cutoff}). A file whose MD5 is known before sending is
 *     streamed into that PUT; one whose MD5 is not is sent in one PUT only up to {@code bufferLimit}
 * @param bufferLimit the most content held in memory to send it in one PUT when its MD5 is not known
 *     before sending (it is computed from the buffer); larger such content goes up in parts. Also
 *     the size above which the target asks the engine for the MD5 up front ({@code WantsHashes})
 * @param partSize the size of each part (at least 5 MiB)
 * @param uploadConcurrency parts in flight (and part buffers held) at once across this target
 * @param copyCutoff server-side copies larger than this use multipart copy (at most 5 GiB)
 * @param directoryMarkers whether empty directories are kept as zero-byte {@code dir/} objects
 * @param conditionalWrites whether the store honours If-None-Match/If-Match atomically; empty
 *     for auto (true for AWS, false for other endpoints)
 * @param listModTimes whether listings read each object's stored modification time (a HEAD per
 *     object); off by default: listings then carry size, ETag and a single-part ETag's MD5, the
 *     target says so ({@code Capabilities.listsModTimes()} false), and the engine stats only the
 *     files it cannot judge otherwise
 * @param listChunk keys per ListObjectsV2 page (1 to 1000)
 * @param incompleteUploadMaxAge multipart uploads under the prefix that were started longer ago
 *     than this and never completed are taken as abandoned (a killed process nobody resumed) and
 *     aborted at the target's first write, so their parts stop costing storage
 * @param tls whom to trust on an https endpoint beyond the JDK's trust store (a pinned
 *     certificate or a CA file, backend-support's {@link TlsTrust}); empty: the JDK's store decides
 */
public record S3TargetOptions(
        Optional<URI> endpoint,
        Optional<String> region,
        boolean pathStyle,
        Optional<String> accessKey,
        Optional<String> secretKey,
        Optional<String> storageClass,
        Optional<String> sse,
        long multipartCutoff,
        long bufferLimit,
        int partSize,
        int uploadConcurrency,
        long copyCutoff,
        boolean directoryMarkers,
        Optional<Boolean> conditionalWrites,
        boolean listModTimes,
        int listChunk,
        Duration incompleteUploadMaxAge,
        Optional<TlsTrust> tls) {

    /** 5 MiB: the smallest part S3 accepts (but for the last). */
    public static final int MIN_PART_SIZE = 5 << 20;
    /** 5 GiB: the largest single PUT or CopyObject. */
    public static final long MAX_SINGLE = 5L << 30;
    /** 1 GiB: the largest {@code bufferLimit} (one array holds it). */
    public static final long MAX_BUFFER = 1L << 30;

    /** Defaults for AWS with the SDK's credential chain. */
    public static final S3TargetOptions DEFAULTS = new S3TargetOptions(Optional.empty(), Optional.empty(), false,
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            200L << 20, 16L << 20, 16 << 20, 8, 4L << 30, false, Optional.empty(), false, 1000, Duration.ofHours(24), Optional.empty());

    /** Validates. */
    public S3TargetOptions {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("option 'partSize' must be at least 5 MiB");
        }
        if (multipartCutoff < 1 || multipartCutoff > MAX_SINGLE) {
            throw new IllegalArgumentException("option 'multipartCutoff' must be between 1 byte and 5 GiB");
        }
        if (bufferLimit < 0 || bufferLimit > MAX_BUFFER) {
            throw new IllegalArgumentException("option 'bufferLimit' must be between 0 and 1 GiB");
        }
        if (uploadConcurrency < 1) {
            throw new IllegalArgumentException("option 'uploadConcurrency' must be positive");
        }
        if (copyCutoff < MIN_PART_SIZE || copyCutoff > MAX_SINGLE) {
            throw new IllegalArgumentException("option 'copyCutoff' must be between 5 MiB and 5 GiB");
        }
        if (listChunk < 1 || listChunk > 1000) {
            throw new IllegalArgumentException("option 'listChunk' must be between 1 and 1000");
        }
        if (incompleteUploadMaxAge.isNegative() || incompleteUploadMaxAge.isZero()) {
            throw new IllegalArgumentException("option 'incompleteUploadMaxAge' must be positive");
        }
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException("give both accessKey and secretKey, or neither");
        }
    }

    /** Whether conditional writes are taken as honoured atomically. */
    boolean conditionalWritesHonoured() {
        return conditionalWrites.orElseGet(() -> endpoint.isEmpty()
                || endpoint.get().getHost() != null && endpoint.get().getHost().endsWith(".amazonaws.com"));
    }

    @Override
    public String toString() {
        return "S3TargetOptions[endpoint=" + endpoint.map(URI::toString).orElse("AWS") + ", region=" + region.orElse("auto")
                + ", pathStyle=" + pathStyle + ", accessKey=" + accessKey.orElse("(default chain)")
                + ", secretKey=" + (secretKey.isPresent() ? "***" : "(default chain)")
                + ", storageClass=" + storageClass.orElse("default") + ", sse=" + sse.orElse("none")
                + ", multipartCutoff=" + multipartCutoff + ", bufferLimit=" + bufferLimit + ", partSize=" + partSize
                + ", uploadConcurrency=" + uploadConcurrency + ", copyCutoff=" + copyCutoff
                + ", directoryMarkers=" + directoryMarkers + ", conditionalWrites=" + conditionalWrites.map(String::valueOf).orElse("auto")
                + ", listModTimes=" + listModTimes + ", listChunk=" + listChunk + ", incompleteUploadMaxAge=" + incompleteUploadMaxAge
                + tls.map(t -> ", tls=" + t).orElse("") + "]";
    }
}
