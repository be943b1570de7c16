package dev.ferry.backend.s3;

import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What every part of a target shares: the client, the bucket and key prefix its objects live
 * under, the options, and the worker threads that send parts and stat files in parallel.
 */
final class Bucket {

    final S3Client client;
    final String name;
    /** Empty, or the key prefix ending with {@code /}. */
    final String prefix;
    final S3TargetOptions options;
    /** Where the objects are, for messages: never a credential. */
    final String where;
    final ExecutorService workers;

    Bucket(S3Client client, String name, String prefix, S3TargetOptions options) {
        this.client = client;
        this.name = name;
        this.prefix = prefix;
        this.options = options;
        this.where = "s3://" + name + "/" + prefix + " at " + endpoint();
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ferry-s3-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    String endpoint() {
        return options.endpoint().map(URI::toString).orElse("AWS");
    }

    String key(SyncPath path) {
        return prefix + path;
    }

    String dirPrefix(SyncPath dir) {
        return dir.isRoot() ? prefix : prefix + dir + "/";
    }

    /** A path and where it is, for messages. */
    String at(SyncPath path) {
        return (path.isRoot() ? "the root" : "'" + path + "'") + " in " + where;
    }

    /** Whether a single-part ETag is the content's MD5: not under SSE-KMS. */
    boolean etagIsMd5() {
        return options.sse().map(s -> !s.toLowerCase(Locale.ROOT).contains("kms")).orElse(true);
    }

    <T> T await(Future<T> f, String action, SyncPath path) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted: " + action + " " + at(path));
        } catch (CancellationException e) {
            throw new InterruptedIOException("cancelled: " + action + " " + at(path));
        } catch (ExecutionException e) {
            throw S3Errors.map(e.getCause(), action, at(path));
        }
    }

    /**
     * Waits until every part request already sent has ended, so that an abort is not overtaken
     * by a part arriving after it (a store would then keep that part). Parts are not cancelled:
     * a task cancelled before it ran would never give its buffer back.
     */
    static void settle(List<? extends Future<?>> parts) {
        boolean interrupted = Thread.interrupted();
        for (Future<?> f : parts) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | CancellationException e) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    void close() {
        workers.shutdownNow();
        client.close();
    }
}
