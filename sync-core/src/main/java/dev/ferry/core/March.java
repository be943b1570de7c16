package dev.ferry.core;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a tree walk as tasks on a pool, one per directory, and waits until the last task (and
 * every task it spawned) is done. The first task to fail ends the walk with its exception.
 */
final class March {

    /** One directory's work; may {@link March#submit} more. */
    interface Task {
        void run() throws IOException;
    }

    private final ExecutorService pool;
    private final AtomicInteger pending = new AtomicInteger();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private March(int threads) {
        this.pool = Workers.newPool("ferry-scan", threads);
    }

    /** Walks from {@code root} on {@code threads} threads. */
    static void run(int threads, java.util.function.Function<March, Task> root) throws IOException {
        March m = new March(threads);
        try {
            m.submit(root.apply(m));
            m.await();
        } finally {
            m.pool.shutdownNow();
        }
    }

    void submit(Task task) {
        pending.incrementAndGet();
        pool.execute(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                done.completeExceptionally(t);
            } finally {
                if (pending.decrementAndGet() == 0) {
                    done.complete(null);
                }
            }
        });
    }

    private void await() throws IOException {
        try {
            done.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("scan interrupted");
        }
    }
}
