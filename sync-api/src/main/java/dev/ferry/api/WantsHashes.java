package dev.ferry.api;

import java.util.Set;

/**
 * Ability: a target that stores a file's hash only if it is told it before the content arrives.
 * An S3 multipart upload fixes its metadata when it starts, and its ETag is not an MD5, so
 * rclone's {@code x-amz-meta-md5chksum} must be known up front; the engine then asks the source
 * (its listing, else its {@link Hasher}) and passes the hash in {@link WriteHints#hashes()}, as
 * rclone reads a local file once more to the same end. Costs the source one more read.
 */
public interface WantsHashes {

    /** The hashes wanted in the hints of a write of {@code size} bytes; empty when none helps. */
    Set<HashAlgorithm> hashesWanted(long size);
}
