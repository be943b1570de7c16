package dev.ferry.backend.s3;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The multipart uploads of this process, and the end of everyone else's that nobody came back
 * for: abandoned uploads cost storage forever on S3, so at its first write a target aborts those
 * under its prefix older than {@code incompleteUploadMaxAge}, sparing the ones this process is
 * working on.
 */
final class UploadSweep {

    private static final Logger LOG = LoggerFactory.getLogger(UploadSweep.class);

    /** Uploads begun (or resumed) in this process and not yet ended: never swept, whatever their age. */
    private static final Set<String> OWN_UPLOADS = ConcurrentHashMap.newKeySet();

    private final Bucket b;
    private final AtomicBoolean swept = new AtomicBoolean();
    /** The clock ages are measured by; tests move it, since S3Proxy dates every upload "now". */
    private volatile Clock clock = Clock.systemUTC();

    UploadSweep(Bucket b) {
        this.b = b;
    }

    void clock(Clock c) {
        this.clock = c;
    }

    /** An upload this process works on: spared by every sweep until it ends. */
    static void own(String uploadId) {
        OWN_UPLOADS.add(uploadId);
    }

    /** An upload completed: no longer this process's business. */
    static void ended(String uploadId) {
        OWN_UPLOADS.remove(uploadId);
    }

    /**
     * At the first write, aborts abandoned uploads once; best effort, since a store or a policy
     * may refuse ListMultipartUploads and that must not stop a sync.
     */
    void sweepOnce() {
        if (swept.compareAndSet(false, true)) {
            try {
                sweep(clock.instant().minus(b.options.incompleteUploadMaxAge()));
            } catch (IOException | RuntimeException e) {
                // Left for the next target opened on this prefix.
                LOG.warn("abandoned multipart uploads under {} were not swept: {}", b.where, e.getMessage());
            }
        }
    }

    /**
     * Whether an upload listed as initiated at {@code initiated} is abandoned: older than the
     * cutoff, and not one this process is working on. An upload without a date is kept.
     */
    static boolean abandoned(Instant initiated, String uploadId, Instant cutoff) {
        return initiated != null && initiated.isBefore(cutoff) && !OWN_UPLOADS.contains(uploadId);
    }

    /**
     * Aborts the multipart uploads under this target's prefix initiated before {@code cutoff}
     * that this process did not begin: parts of a killed writer nobody resumed in time, which a
     * store keeps (and bills) forever. A younger one is kept for the next run to resume.
     *
     * @return how many were aborted
     */
    int sweep(Instant cutoff) throws IOException {
        int aborted = 0;
        String keyMarker = null;
        String idMarker = null;
        try {
            while (true) {
                ListMultipartUploadsResponse r = b.client.listMultipartUploads(ListMultipartUploadsRequest.builder()
                        .bucket(b.name).prefix(b.prefix.isEmpty() ? null : b.prefix).keyMarker(keyMarker)
                        .uploadIdMarker(idMarker).build());
                for (MultipartUpload u : r.uploads()) {
                    if (abandoned(u.initiated(), u.uploadId(), cutoff)) {
                        abort(u.key(), u.uploadId());
                        aborted++;
                    }
                }
                if (!Boolean.TRUE.equals(r.isTruncated()) || r.nextKeyMarker() == null
                        || r.nextKeyMarker().equals(keyMarker) && Objects.equals(r.nextUploadIdMarker(), idMarker)) {
                    return aborted;
                }
                keyMarker = r.nextKeyMarker();
                idMarker = r.nextUploadIdMarker();
            }
        } catch (SdkException e) {
            throw S3Errors.map(e, "list the unfinished uploads in", b.where);
        }
    }

    /** Aborts an upload so no parts stay behind (and cost money); best effort. */
    void abort(String key, String uploadId) {
        boolean interrupted = Thread.interrupted();
        OWN_UPLOADS.remove(uploadId);
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    b.client.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(b.name).key(key)
                            .uploadId(uploadId).build());
                    return;
                } catch (S3Exception e) {
                    if (e.statusCode() == 404) {
                        return;
                    }
                } catch (RuntimeException e) {
                    // retried below
                }
                try {
                    Thread.sleep(200L << attempt);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
