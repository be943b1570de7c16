package dev.ferry.backend.s3;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * The part buffers of a target: at most {@code uploadConcurrency} at once, and reused. Fresh
 * arrays per part made a 512 MiB upload 512 MiB of garbage, which a JVM with a large heap keeps
 * resident (peak RSS 540 MiB, measured); reused, the target holds at most
 * {@code uploadConcurrency × partSize} (128 MiB by default) until it is closed. A part size other
 * than the target's (a resumed upload begun with other options) gets its own array.
 */
final class PartBuffers {
    private final int size;
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();

    PartBuffers(int count, int size) {
        this.size = size;
        this.permits = new Semaphore(count);
    }

    /** Waits for one of the permitted buffers. */
    byte[] take(int partSize) throws InterruptedException {
        permits.acquire();
        byte[] b = partSize == size ? free.poll() : null;
        return b != null ? b : new byte[partSize];
    }

    /** Hands a buffer back once nothing reads it any more. */
    void give(byte[] b) {
        if (b.length == size) {
            free.offer(b);
        }
        permits.release();
    }

    void clear() {
        free.clear();
    }
}
