package dev.ferry.backend.s3;

import dev.ferry.api.Capabilities;
import dev.ferry.api.DescribedReader;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.Hasher;
import dev.ferry.api.ListingSink;
import dev.ferry.api.ModTimeSetter;
import dev.ferry.api.PosixModes;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.RecursiveLister;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.ServerSideCopy;
import dev.ferry.api.ServerSideMove;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WantsHashes;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A bucket, or a prefix in one, as a {@link SyncTarget}. Directories are implied by keys
 * ({@code a/b/c.txt} makes {@code a} and {@code a/b}); with the {@code directoryMarkers} option
 * an empty directory is a zero-byte {@code dir/} object. Modification times and content MD5
 * are kept in rclone's user metadata ({@code x-amz-meta-mtime}, {@code x-amz-meta-md5chksum}).
 * A listing does not carry the time (it costs a HEAD per object) unless the {@code listModTimes}
 * option asks; the engine stats the files it needs a time for, and a read tells it with the
 * content ({@link DescribedReader}).
 *
 * <p>Writes are atomic by S3's nature: a PutObject replaces the object in one go and a multipart
 * upload becomes visible only when completed; any failure aborts the upload, so no parts are
 * left behind. Content of up to {@code multipartCutoff} bytes (200 MiB, rclone's upload cutoff)
 * goes as one PutObject: streamed from the source when its MD5 is known before sending (the
 * engine asks the source for it, {@link WantsHashes}), else buffered and hashed, but only up to
 * {@code bufferLimit} (16 MiB). Anything else goes in parts of {@code partSize}, uploaded in
 * parallel, with at most {@code uploadConcurrency} part buffers held at once across the target. Every PutObject
 * and UploadPart goes with its {@code Content-MD5}, which the store checks, and with an unsigned
 * payload, on http endpoints too ({@link ContentMd5AuthScheme}): the signed MD5 keeps the body
 * from being changed on the way without a SHA-256 of every byte.
 *
 * <p>Large files survive the death of the writer ({@link ResumableWriter}): the engine journals
 * the multipart upload's id, and the next process asks the store which parts it holds
 * (ListParts) and sends only the rest. Uploads nobody came back for are aborted at the first
 * write once older than {@code incompleteUploadMaxAge}.
 *
 * <p>This class is a facade: each concern is a package-private part ({@link ClientSetup},
 * {@link Listing}, {@link Reads}, {@link WritePaths} with {@link SingleUploads} and
 * {@link Multipart}, {@link ResumableUploads}, {@link UploadSweep}, {@link Preconditions},
 * {@link Copies}, {@link ObjectInfo}), sharing one {@link Bucket}.
 *
 * <p>The SDK does not retry by itself (but for a dead pooled connection, before anything was
 * sent): a failure reaches the engine, which retries with backoff and counts, so the delays of
 * two retry layers never multiply and the report shows every retry.
 */
public final class S3Target implements SyncTarget, ServerSideCopy, ServerSideMove, ModTimeSetter, Hasher,
        RecursiveLister, ResumableWriter, WantsHashes, DescribedReader, PosixModes {

    private final Bucket bucket;
    private final Capabilities capabilities;
    private final ObjectInfo info;
    private final Listing listing;
    private final Reads reads;
    private final UploadSweep sweep;
    private final SingleUploads single;
    private final Multipart multipart;
    private final WritePaths writes;
    private final ResumableUploads resumable;
    private final Copies copies;

    private S3Target(S3Client client, String bucketName, String prefix, S3TargetOptions options) {
        this.bucket = new Bucket(client, bucketName, prefix, options);
        this.capabilities = Capabilities.builder()
                .keepsModTime(true)
                .modTimePrecision(Duration.ofNanos(1))
                .hashes(Set.of(HashAlgorithm.MD5))
                .caseSensitive(true)
                .maxNameLength(0) // S3 limits whole keys (1024 bytes), not names
                .conditionalWrites(options.conditionalWritesHonoured())
                // A time is in each object's metadata: a HEAD per file, unless the option asks for it.
                .listsModTimes(options.listModTimes())
                .build();
        this.info = new ObjectInfo(bucket);
        this.listing = new Listing(bucket, info);
        this.reads = new Reads(bucket, info);
        this.sweep = new UploadSweep(bucket);
        Preconditions preconditions = new Preconditions(bucket, info);
        this.single = new SingleUploads(bucket, preconditions);
        this.multipart = new Multipart(bucket, sweep, preconditions);
        this.writes = new WritePaths(bucket, single, multipart, sweep, preconditions);
        this.resumable = new ResumableUploads(bucket, multipart, single, sweep);
        this.copies = new Copies(bucket, info, sweep);
    }

    /**
     * Builds the client and checks the bucket is there and the credentials are accepted.
     *
     * @param prefix empty, or the key prefix ending with {@code /}
     */
    static S3Target open(String bucket, String prefix, S3TargetOptions options) throws IOException {
        S3Target t = new S3Target(ClientSetup.buildClient(options), bucket, prefix, options);
        try {
            ClientSetup.checkBucket(t.bucket);
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** The client as every target builds it (tests use it to look behind a target's back). */
    static S3Client buildClient(S3TargetOptions options) {
        return ClientSetup.buildClient(options);
    }

    /** See {@link UploadSweep#abandoned}. */
    static boolean abandoned(Instant initiated, String uploadId, Instant cutoff) {
        return UploadSweep.abandoned(initiated, uploadId, cutoff);
    }

    /** The client, for tests. */
    S3Client client() {
        return bucket.client;
    }

    String bucket() {
        return bucket.name;
    }

    String key(SyncPath path) {
        return bucket.key(path);
    }

    /** The clock upload ages are measured by, for tests. */
    void clock(Clock c) {
        sweep.clock(c);
    }

    /** Aborts the abandoned uploads under the prefix initiated before {@code cutoff}; see {@link UploadSweep}. */
    int sweepAbandonedUploads(Instant cutoff) throws IOException {
        return sweep.sweep(cutoff);
    }

    @Override
    public String description() {
        return "s3://" + bucket.name + "/" + bucket.prefix;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public String toString() {
        return "S3Target[" + description() + ", " + bucket.options + "]";
    }

    @Override
    public void list(SyncPath directory, ListingSink sink) throws IOException {
        listing.list(directory, sink);
    }

    @Override
    public void listRecursive(SyncPath directory, ListingSink sink) throws IOException {
        listing.listRecursive(directory, sink, null, null);
    }

    @Override
    public void listRecursive(SyncPath directory, ListingSink sink, String fromPath, String untilPath)
            throws IOException {
        listing.listRecursive(directory, sink, fromPath, untilPath);
    }

    @Override
    public Optional<Entry> stat(SyncPath path) throws IOException {
        return info.stat(path);
    }

    @Override
    public InputStream open(SyncPath path, long offset) throws IOException {
        return reads.open(path, offset);
    }

    @Override
    public Read openDescribed(SyncPath path, long offset) throws IOException {
        return reads.openDescribed(path, offset);
    }

    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        return writes.write(path, content, hints);
    }

    @Override
    public Set<HashAlgorithm> hashesWanted(long size) {
        return writes.hashesWanted(size);
    }

    @Override
    public long minimumResumableSize() {
        return writes.minimumResumableSize();
    }

    @Override
    public PartialWrite begin(SyncPath path, WriteHints hints) throws IOException {
        return resumable.begin(path, hints, writes.bufferedLimit());
    }

    @Override
    public Optional<PartialWrite> resume(String token, WriteHints hints) throws IOException {
        return resumable.resume(token, hints);
    }

    @Override
    public void delete(SyncPath path) throws IOException {
        copies.delete(path);
    }

    @Override
    public void makeDirectories(SyncPath directory) throws IOException {
        single.makeDirectories(directory);
    }

    @Override
    public Entry copy(SyncPath from, SyncPath to) throws IOException {
        return copies.copy(from, to);
    }

    /**
     * Another S3 target on the same endpoint, region and access key (or both on the SDK's
     * default credentials): the store copies between them (CopyObject), across buckets too.
     */
    @Override
    public boolean canCopyFrom(SyncTarget source) {
        if (!(source instanceof S3Target other)) {
            return false;
        }
        S3TargetOptions a = bucket.options;
        S3TargetOptions o = other.bucket.options;
        return a.endpoint().equals(o.endpoint()) && a.region().equals(o.region())
                && a.accessKey().equals(o.accessKey()) && a.secretKey().equals(o.secretKey());
    }

    @Override
    public Entry copyFrom(SyncTarget source, SyncPath from, SyncPath to) throws IOException {
        if (!canCopyFrom(source)) {
            throw new PermanentSyncException("cannot copy from " + source.description() + " on the store: another store"
                    + " or account");
        }
        S3Target other = (S3Target) source;
        return copies.copyFrom(other.bucket, other.info, from, to);
    }

    @Override
    public Entry move(SyncPath from, SyncPath to) throws IOException {
        return copies.move(from, to);
    }

    @Override
    public Entry setModTime(SyncPath path, Instant modTime) throws IOException {
        return copies.setModTime(path, modTime);
    }

    @Override
    public Optional<String> hash(SyncPath path, HashAlgorithm algorithm) throws IOException {
        return info.hash(path, algorithm);
    }

    @Override
    public void close() {
        bucket.close();
        multipart.clear();
    }

    /** Modes live in object metadata ({@code x-amz-meta-mode}, as rclone's): a HEAD or GET tells them, a listing does not. */
    @Override
    public boolean listsModes() {
        return false;
    }

    /** S3 has no directories to give a mode. */
    @Override
    public boolean keepsDirectoryModes() {
        return false;
    }
}
