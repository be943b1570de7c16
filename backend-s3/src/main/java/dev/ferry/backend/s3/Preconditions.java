package dev.ferry.backend.s3;

import dev.ferry.api.Entry;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints.Precondition;
import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * A write's precondition, honoured by the request that publishes the new content: the PutObject,
 * or the CompleteMultipartUpload (nothing is visible at a key before either).
 *
 * <p>Every such request carries {@code If-None-Match: *} (absent) or {@code If-Match: <ETag>}
 * (a version, which {@link Precondition#unchanged} takes from the listing). Where the store
 * checks them atomically (the {@code conditionalWrites} option: AWS), that is all. Elsewhere the
 * headers may be ignored (S3Proxy 2.9.0 ignores them on CompleteMultipartUpload) or checked only
 * as the request arrives, before its body (S3Proxy on PutObject): then a HEAD immediately before
 * the publishing request compares what is there with {@link Precondition#matches}, and the write
 * reads all of its content before that (no streamed PUT), so an edit made while the content was
 * being read is seen. What remains is the time from that HEAD to the store's publishing.
 */
final class Preconditions {

    private final Bucket b;
    private final ObjectInfo info;

    Preconditions(Bucket b, ObjectInfo info) {
        this.b = b;
        this.info = info;
    }

    /** Whether the store's conditional request alone settles {@code pre}, atomically. */
    private boolean settledByStore(Precondition pre) {
        return b.options.conditionalWritesHonoured() && (pre.mustBeAbsent() || pre.expectedVersion().isPresent());
    }

    /**
     * Whether the content must be read whole before the publishing request goes, for the check
     * just before it: a store without atomic conditional writes would check a streamed PUT's
     * condition only when its head arrives, before a user's edit made while the body is sent.
     */
    boolean needsContentFirst(Precondition pre) {
        return !pre.isNone() && !settledByStore(pre);
    }

    void onPut(PutObjectRequest.Builder req, Precondition pre) {
        if (pre.mustBeAbsent()) {
            req.ifNoneMatch("*");
        }
        pre.expectedVersion().ifPresent(req::ifMatch);
    }

    void onComplete(CompleteMultipartUploadRequest.Builder req, Precondition pre) {
        if (pre.mustBeAbsent()) {
            req.ifNoneMatch("*");
        }
        pre.expectedVersion().ifPresent(req::ifMatch);
    }

    /**
     * Called immediately before the publishing request: where the store does not settle the
     * condition itself, a HEAD of the key and {@link Precondition#matches}. A mismatch publishes
     * nothing and leaves what is at the path as it is.
     */
    void checkBeforePublishing(SyncPath path, Precondition pre) throws IOException {
        if (pre.isNone() || settledByStore(pre)) {
            return;
        }
        Optional<Entry> now = info.headFile(path, "check what is at");
        if (!pre.matches(now)) {
            throw new PreconditionFailedException("cannot write " + b.at(path) + ": " + mismatch(pre, now)
                    + "; the version there was kept and nothing was published");
        }
    }

    /**
     * A conditional write that failed on the connection: a store that refuses a condition as the
     * request arrives may close the connection while the body is still being sent (S3Proxy), so
     * the refusal reaches the client as a broken pipe. A HEAD tells: if what is there no longer
     * matches, and is not this write's own content ({@code md5Hex}), the failure was the
     * condition's, else it stays the transient one it looked like.
     */
    IOException afterFailure(SyncPath path, Precondition pre, String md5Hex, IOException failure) {
        if (pre.isNone() || !(failure instanceof dev.ferry.api.TransientSyncException)) {
            return failure;
        }
        try {
            Optional<Entry> now = info.headFile(path, "check what is at");
            boolean ours = now.flatMap(Entry::version).map(v -> v.replace("\"", "").equalsIgnoreCase(md5Hex))
                    .orElse(false);
            if (!ours && !pre.matches(now)) {
                PreconditionFailedException refused = new PreconditionFailedException("cannot write " + b.at(path)
                        + ": " + mismatch(pre, now) + "; the version there was kept and nothing was published");
                refused.addSuppressed(failure);
                return refused;
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    private static String mismatch(Precondition pre, Optional<Entry> now) {
        if (pre.mustBeAbsent()) {
            return "a file appeared there since the plan (" + now.map(Entry::size).orElse(0L) + " bytes)";
        }
        if (now.isEmpty()) {
            return "the file the plan saw there is gone";
        }
        return "it changed since the plan saw it (" + describe(pre.expected(), pre.expectedVersion()) + ", now "
                + describe(now, now.get().version()) + ")";
    }

    private static String describe(Optional<Entry> e, Optional<String> version) {
        return e.map(x -> x.size() + " bytes").orElse("") + version.map(v -> (e.isPresent() ? ", " : "") + "version " + v)
                .orElse("");
    }
}
