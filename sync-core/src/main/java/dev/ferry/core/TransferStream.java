package dev.ferry.core;

import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.TransientSyncException;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * The source side of a copy: counts bytes, reports progress, applies the bandwidth limit,
 * computes hashes on the fly for verification, and fails the transfer if the source delivers
 * more or fewer bytes than it listed (it changed while being read), so the destination's write
 * is aborted and nothing half-right becomes visible.
 *
 * <p>A read that ends early is not always a change: over FTP a cut data connection looks like a
 * clean end of file. So a short read asks the source again ({@link SourceCheck}); if the file is
 * still as listed, the short read is a lost connection and the copy is retried (a resumable
 * write continues from what arrived), else the source changed and the copy is left to the next
 * run.
 */
final class TransferStream extends FilterInputStream {

    /** Bytes per in-kernel copy call: progress and the bandwidth limit act at this grain. */
    private static final long KERNEL_CHUNK = 8L << 20;
    /** Bytes per read or kernel copy call under a bandwidth limit. */
    private static final int LIMITED_CHUNK = 64 * 1024;
    /**
     * Bytes per read of the plain copy loop. {@code InputStream.transferTo}'s 8 KiB made a 64 MiB
     * download 8,192 socket reads and file writes (and as many digest and progress calls); HTTP
     * and FTP clients read straight into a buffer this large when theirs is empty.
     */
    private static final int COPY_BUFFER = 256 * 1024;

    private final long expected;
    private final String path;
    private final RateLimiter limiter;
    private final LongConsumer progress;
    private final Map<HashAlgorithm, MessageDigest> digests = new EnumMap<>(HashAlgorithm.class);
    private final SourceCheck check;
    private long count;

    /** Asks the source, after a short read, whether the file is still as the plan listed it. */
    @FunctionalInterface
    interface SourceCheck {
        /** No way to ask: a short read counts as a change. */
        SourceCheck NONE = () -> false;

        boolean unchanged() throws IOException;
    }

    TransferStream(InputStream in, String path, long expected, Set<HashAlgorithm> hashes, RateLimiter limiter,
            LongConsumer progress) {
        this(in, path, expected, hashes, limiter, progress, SourceCheck.NONE);
    }

    TransferStream(InputStream in, String path, long expected, Set<HashAlgorithm> hashes, RateLimiter limiter,
            LongConsumer progress, SourceCheck check) {
        super(in);
        this.check = check;
        this.path = path;
        this.expected = expected;
        this.limiter = limiter;
        this.progress = progress;
        for (HashAlgorithm a : hashes) {
            digests.put(a, a.newDigest());
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (limiter != null) {
            // Reserve before reading so one huge read can't overshoot the limit by much.
            len = Math.min(len, LIMITED_CHUNK);
            limiter.acquire(len);
        }
        int n = super.read(b, off, len);
        if (n < 0) {
            if (count != expected) {
                throw shortRead();
            }
            return -1;
        }
        count += n;
        if (count > expected) {
            throw new SourceChangedException(path + ": the source grew while being copied (listed " + expected
                    + " bytes); the next run will pick it up");
        }
        for (MessageDigest d : digests.values()) {
            d.update(b, off, n);
        }
        progress.accept(n);
        return n;
    }

    /**
     * Copies everything to {@code out}. From one local file to another this is an in-kernel copy
     * ({@code sendfile}), so a local-to-local transfer runs at the disk's speed instead of
     * through a Java buffer; anywhere else, and whenever hashes must be computed, the plain loop.
     */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        if (!digests.isEmpty() || !(in instanceof FileInputStream fis) || !(out instanceof FileOutputStream fos)) {
            return copyLoop(out);
        }
        FileChannel from = fis.getChannel();
        FileChannel to = fos.getChannel();
        long start = from.position();
        // Under a bandwidth limit the grain is the read path's 64 KiB: the limiter waits for a
        // chunk's start, so one 8 MiB chunk would go out at full speed.
        long grain = limiter != null ? LIMITED_CHUNK : KERNEL_CHUNK;
        while (count < expected) {
            long chunk = Math.min(expected - count, grain);
            if (limiter != null) {
                limiter.acquire((int) chunk);
            }
            long n = from.transferTo(start + count, chunk, to);
            if (n <= 0) {
                break;
            }
            count += n;
            progress.accept(n);
        }
        from.position(start + count);
        if (count != expected) {
            throw shortRead();
        }
        if (fis.read() >= 0) {
            throw new SourceChangedException(path + ": the source grew while being copied (listed " + expected
                    + " bytes); the next run will pick it up");
        }
        return count;
    }

    private long copyLoop(OutputStream out) throws IOException {
        // Sized to the file where it is small (no 256 KiB array per 1 KiB file), never below one byte.
        byte[] buffer = new byte[(int) Math.max(1, Math.min(COPY_BUFFER, expected < 0 ? COPY_BUFFER : expected - count + 1))];
        long total = 0;
        int n;
        while ((n = read(buffer, 0, buffer.length)) >= 0) {
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    /** The error for a read that ended before the listed size: a lost connection or a changed source. */
    private IOException shortRead() throws IOException {
        if (check.unchanged()) {
            return new TransientSyncException(path + ": the read ended after " + count + " of " + expected
                    + " bytes but the source is unchanged (a lost connection); retrying");
        }
        return new SourceChangedException(path + ": the source changed while being copied (listed "
                + expected + " bytes, read " + count + "); the next run will pick it up");
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported on a transfer stream");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    long count() {
        return count;
    }

    /** The hashes of everything read, lowercase hex; only meaningful after the end was reached. */
    Map<HashAlgorithm, String> hashes() {
        Map<HashAlgorithm, String> out = new EnumMap<>(HashAlgorithm.class);
        digests.forEach((a, d) -> out.put(a, HashAlgorithm.hex(d.digest())));
        return out;
    }

    /** The source was not what the plan listed. Not retried in this run. */
    static final class SourceChangedException extends PermanentSyncException {
        private static final long serialVersionUID = 1L;

        SourceChangedException(String message) {
            super(message);
        }
    }
}
