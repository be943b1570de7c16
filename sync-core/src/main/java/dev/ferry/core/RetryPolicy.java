package dev.ferry.core;

import java.time.Duration;

/**
 * How transient failures are retried: each operation up to {@code maxAttempts} times with
 * exponential backoff and jitter, within a budget of retries for the whole run so a dead server
 * fails a run in seconds instead of retrying every file.
 *
 * @param maxAttempts attempts per operation, including the first (1 disables retries)
 * @param initialBackoff wait before the first retry
 * @param maxBackoff cap on one wait
 * @param runRetryBudget retries allowed across a whole run
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, int runRetryBudget) {

    /** 5 attempts, 200 ms doubling to 10 s, 1,000 retries per run. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(10), 1000);

    /** No retries at all. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 0);

    /** Validates. */
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts < 1");
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || runRetryBudget < 0) {
            throw new IllegalArgumentException("negative backoff or budget");
        }
    }

    /**
     * The wait before retry number {@code retry} (1 for the first): the exponential step, capped,
     * then "equal jitter" (between half and all of it) so parallel transfers don't retry in step.
     */
    public Duration backoff(int retry, double random) {
        double step = Math.min((double) maxBackoff.toNanos(),
                initialBackoff.toNanos() * Math.pow(2, Math.max(0, retry - 1)));
        return Duration.ofNanos((long) (step / 2.0 + step / 2.0 * random));
    }
}
