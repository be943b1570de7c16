package dev.ferry.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a run did.
 *
 * @param mode copy or mirror
 * @param source where files came from (no credentials)
 * @param destination where they went (no credentials)
 * @param started when the run began
 * @param duration how long it took, scan included
 * @param filesCopied files written to the destination
 * @param bytesCopied bytes of those files
 * @param modTimesUpdated files whose time alone was set
 * @param filesDeleted files deleted from the destination
 * @param directoriesCreated directories created
 * @param directoriesDeleted directories deleted
 * @param unchangedFiles files that were already equal
 * @param retries transient failures that were retried
 * @param failures everything that failed for good, with its path and reason
 * @param safetyStop if set, why deletions were withheld (delete limit, empty or failing source)
 */
public record SyncReport(
        SyncMode mode,
        String source,
        String destination,
        Instant started,
        Duration duration,
        long filesCopied,
        long bytesCopied,
        long modTimesUpdated,
        long filesDeleted,
        long directoriesCreated,
        long directoriesDeleted,
        long unchangedFiles,
        long retries,
        List<SyncFailure> failures,
        Optional<String> safetyStop) {

    /** Copies the list. */
    public SyncReport {
        failures = List.copyOf(failures);
    }

    /** Whether everything planned was done and no safety limit stopped deletions. */
    public boolean succeeded() {
        return failures.isEmpty() && safetyStop.isEmpty();
    }
}
