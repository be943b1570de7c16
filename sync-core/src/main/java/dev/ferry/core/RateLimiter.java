package dev.ferry.core;

import java.io.InterruptedIOException;

/**
 * A bandwidth limit shared by all transfers of a run: each read reserves its bytes on a
 * timeline running at {@code bytesPerSecond} and waits until its slot comes. Up to a quarter
 * second of unused time may be spent at once, so short pauses don't lose throughput.
 */
final class RateLimiter {

    private static final long BURST_NANOS = 250_000_000L;

    private final double nanosPerByte;
    private long nextFree = System.nanoTime();

    RateLimiter(long bytesPerSecond) {
        this.nanosPerByte = 1e9 / bytesPerSecond;
    }

    void acquire(int bytes) throws InterruptedIOException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            if (nextFree < now - BURST_NANOS) {
                nextFree = now - BURST_NANOS;
            }
            long start = nextFree;
            nextFree += (long) (bytes * nanosPerByte);
            wait = start - now;
        }
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("transfer interrupted");
            }
        }
    }
}
