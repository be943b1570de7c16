package dev.ferry.backend.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A JDK {@link java.net.http.HttpClient} response body read into memory with two bounds, for the
 * small JSON answers of REST APIs (Syncthing, Emoncms). The JDK's own
 * {@code BodyHandlers.ofByteArray()} has neither: a server (or anything in between) sending a
 * reply that never ends fills the heap, and one that sends headers and then trickles or stalls
 * holds the call forever, since a request's timeout ends once the headers arrive. Here a body
 * past {@code maxBytes} fails with {@link TooLargeException} and one not finished
 * {@code deadline} after its headers with {@link HttpTimeoutException}; either way the
 * connection is dropped. {@code HttpClient.send} reports both as an {@link IOException} whose
 * cause is the one raised here. A streamed body (file content) is not held, but can stall as
 * well: {@link #idleLimited} bounds the wait of each read.
 */
public final class BoundedBody {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private BoundedBody() {}

    /** A reply larger than the caller allows. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }

    /** A handler collecting the body, at most {@code maxBytes}, finished within {@code deadline} of the headers. */
    public static HttpResponse.BodyHandler<byte[]> ofBytes(long maxBytes, Duration deadline) {
        return info -> new Collector(maxBytes, deadline);
    }

    /** The {@link TooLargeException} in {@code e}'s causes, if the body was too large. */
    public static Optional<TooLargeException> tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TooLargeException x) {
                return Optional.of(x);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code e} is (or was caused by) a body that did not finish in time. */
    public static boolean tooSlow(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code in}, closed when one read waits longer than {@code idle} for data (a server that
     * stalls mid-body): that read then fails with {@link HttpTimeoutException}. Closing the JDK
     * client's body stream wakes a blocked read, so the wait ends on time.
     */
    public static java.io.InputStream idleLimited(java.io.InputStream in, Duration idle) {
        return new java.io.FilterInputStream(in) {
            private volatile boolean expired;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                ScheduledFuture<?> t = TIMER.schedule(this::expire, idle.toMillis(), TimeUnit.MILLISECONDS);
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    if (expired) {
                        throw new HttpTimeoutException("no data for " + idle.toMillis() / 1000.0 + " s");
                    }
                    throw e;
                } finally {
                    t.cancel(false);
                }
            }

            @Override
            public long skip(long n) throws IOException {
                // Through read, so the wait is bounded too.
                byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
                long left = n;
                while (left > 0) {
                    int r = read(buf, 0, (int) Math.min(buf.length, left));
                    if (r < 0) {
                        break;
                    }
                    left -= r;
                }
                return n - left;
            }

            private void expire() {
                expired = true;
                try {
                    in.close();
                } catch (IOException e) {
                    // the read fails with the timeout all the same
                }
            }
        };
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "ferry-body-deadline");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    private static final class Collector implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final long maxBytes;
        private final Duration deadline;
        private ByteArrayOutputStream out = new ByteArrayOutputStream();
        private volatile Flow.Subscription subscription;
        private volatile ScheduledFuture<?> timer;

        Collector(long maxBytes, Duration deadline) {
            this.maxBytes = maxBytes;
            this.deadline = deadline;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            timer = TIMER.schedule(() -> fail(new HttpTimeoutException("the reply did not end within "
                    + deadline.toMillis() / 1000.0 + " s of its headers")), deadline.toMillis(), TimeUnit.MILLISECONDS);
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            synchronized (this) {
                if (result.isDone()) {
                    return;
                }
                for (ByteBuffer b : item) {
                    if (out.size() + (long) b.remaining() > maxBytes) {
                        fail(new TooLargeException("the reply is larger than " + maxBytes + " bytes"));
                        return;
                    }
                    byte[] chunk = new byte[b.remaining()];
                    b.get(chunk);
                    out.write(chunk, 0, chunk.length);
                }
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            finish();
            result.completeExceptionally(t);
        }

        @Override
        public synchronized void onComplete() {
            if (!result.isDone()) {
                byte[] body = out.toByteArray();
                finish();
                result.complete(body);
            }
        }

        private void fail(IOException e) {
            if (result.completeExceptionally(e)) {
                finish();
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.cancel();
                }
            }
        }

        private synchronized void finish() {
            out = new ByteArrayOutputStream(0);
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }
    }
}
