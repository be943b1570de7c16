package dev.ferry.core;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs operations under a {@link RetryPolicy}: transient failures are retried with backoff until
 * the operation's attempts or the run's budget are used up. One per run, shared by the scan and
 * the transfers.
 */
final class Retrier {

    /** An operation that may fail with an I/O error. */
    interface Operation<T> {
        T call() throws IOException;
    }

    private final RetryPolicy policy;
    private final SyncListener listener;
    private final AtomicInteger budget;
    private final AtomicInteger retries = new AtomicInteger();

    Retrier(RetryPolicy policy, SyncListener listener) {
        this.policy = policy;
        this.listener = listener;
        this.budget = new AtomicInteger(policy.runRetryBudget());
    }

    /** Retries made so far in this run. */
    int retries() {
        return retries.get();
    }

    <T> T call(String what, Operation<T> op) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return op.call();
            } catch (IOException | RuntimeException e) {
                if (e instanceof InterruptedIOException && !(e instanceof java.net.SocketTimeoutException)) {
                    throw e;
                }
                if (attempt >= policy.maxAttempts() || !Errors.isTransient(e) || budget.getAndDecrement() <= 0) {
                    throw e;
                }
                Duration delay = policy.backoff(attempt, ThreadLocalRandom.current().nextDouble());
                Duration asked = Errors.retryAfter(e).orElse(Duration.ZERO);
                if (asked.compareTo(delay) > 0) {
                    delay = asked.compareTo(policy.maxBackoff().multipliedBy(6)) > 0
                            ? policy.maxBackoff().multipliedBy(6) : asked;
                }
                retries.incrementAndGet();
                listener.retrying(what, attempt, delay, e);
                sleep(delay);
            }
        }
    }

    private static void sleep(Duration d) throws InterruptedIOException {
        try {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
