package dev.ferry.core;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.Hasher;
import dev.ferry.api.ModTimeSetter;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.TransientSyncException;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a plan. Actions run in stages in plan order: consecutive actions of one kind run
 * in parallel on {@code transfers} threads, and a stage starts only when the one before it has
 * finished, so directories exist before their files and a directory is deleted only after its
 * contents.
 */
final class Executor {

    private static final Logger LOG = LoggerFactory.getLogger(Executor.class);

    private final SyncTarget source;
    private final SyncTarget destination;
    private final SyncOptions options;
    private final SyncListener listener;
    private final Retrier retrier;
    private final RateLimiter limiter;
    private final Set<HashAlgorithm> verifyHashes;

    private final Queue<SyncFailure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong filesCopied = new AtomicLong();
    private final AtomicLong bytesCopied = new AtomicLong();
    private final AtomicLong touched = new AtomicLong();
    private final AtomicLong filesDeleted = new AtomicLong();
    private final AtomicLong dirsCreated = new AtomicLong();
    private final AtomicLong dirsDeleted = new AtomicLong();

    Executor(SyncTarget source, SyncTarget destination, SyncOptions options, Retrier retrier) {
        this.source = source;
        this.destination = destination;
        this.options = options;
        this.listener = options.listener();
        this.retrier = retrier;
        this.limiter = options.bandwidthLimit() > 0 ? new RateLimiter(options.bandwidthLimit()) : null;
        // Verify where the destination reports a hash with the write itself (an S3 ETag, say);
        // a target that would have to read the file back (a Hasher) is not asked.
        Set<HashAlgorithm> v = EnumSet.noneOf(HashAlgorithm.class);
        if (options.verify() && destination.ability(Hasher.class).isEmpty()) {
            v.addAll(destination.capabilities().hashes());
        }
        this.verifyHashes = v;
    }

    SyncReport execute(SyncPlan plan, Instant started) {
        failures.addAll(plan.scanFailures());
        List<SyncAction> actions = plan.actions();
        ExecutorService pool = Workers.newPool("ferry-transfer", options.transfers());
        try {
            int i = 0;
            while (i < actions.size()) {
                String stage = stageOf(actions.get(i));
                int j = i;
                while (j < actions.size() && stageOf(actions.get(j)).equals(stage)) {
                    j++;
                }
                runStage(pool, actions.subList(i, j));
                i = j;
            }
        } finally {
            pool.shutdownNow();
        }
        Duration took = Duration.between(started, Instant.now(options.clock()));
        return new SyncReport(plan.mode(), plan.source(), plan.destination(), started, took, filesCopied.get(),
                bytesCopied.get(), touched.get(), filesDeleted.get(), dirsCreated.get(), dirsDeleted.get(),
                plan.unchangedFiles(), retrier.retries(), new ArrayList<>(failures), plan.deletionsWithheld());
    }

    private static String stageOf(SyncAction a) {
        if (a instanceof SyncAction.DeleteDirectory d) {
            return "rmdir" + d.path().depth();
        }
        if (a instanceof SyncAction.UpdateModTime) {
            return "copy";
        }
        return a.getClass().getSimpleName();
    }

    private void runStage(ExecutorService pool, List<SyncAction> stage) {
        if (stage.size() == 1) {
            perform(stage.get(0));
            return;
        }
        CountDownLatch latch = new CountDownLatch(stage.size());
        for (SyncAction a : stage) {
            pool.execute(() -> {
                try {
                    perform(a);
                } finally {
                    latch.countDown();
                }
            });
        }
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sync interrupted", e);
        }
    }

    private void perform(SyncAction action) {
        listener.started(action);
        try {
            if (action instanceof SyncAction.MakeDirectory m) {
                retrier.call("mkdir " + m.path(), () -> {
                    destination.makeDirectories(m.path());
                    return null;
                });
                dirsCreated.incrementAndGet();
            } else if (action instanceof SyncAction.CopyFile c) {
                copy(c);
            } else if (action instanceof SyncAction.UpdateModTime u) {
                Instant t = u.source().modTime().orElseThrow();
                ModTimeSetter setter = destination.ability(ModTimeSetter.class).orElseThrow();
                retrier.call("set time " + u.path(), () -> setter.setModTime(u.path(), t));
                touched.incrementAndGet();
            } else {
                boolean isFile = action instanceof SyncAction.DeleteFile;
                retrier.call("delete " + action.path(), () -> {
                    destination.delete(action.path());
                    return null;
                });
                (isFile ? filesDeleted : dirsDeleted).incrementAndGet();
            }
            listener.finished(action);
        } catch (IOException | RuntimeException e) {
            SyncFailure f = new SyncFailure(action.path().toString(), stage(action), Errors.describe(e),
                    Errors.isTransient(e));
            LOG.debug("{} failed", action, e);
            failures.add(f);
            listener.failed(action, f);
        }
    }

    private static SyncFailure.Stage stage(SyncAction a) {
        if (a instanceof SyncAction.MakeDirectory) {
            return SyncFailure.Stage.MAKE_DIRECTORY;
        }
        if (a instanceof SyncAction.CopyFile) {
            return SyncFailure.Stage.COPY;
        }
        if (a instanceof SyncAction.UpdateModTime) {
            return SyncFailure.Stage.SET_MOD_TIME;
        }
        return SyncFailure.Stage.DELETE;
    }

    private void copy(SyncAction.CopyFile c) throws IOException {
        Entry src = c.source();
        SyncPath path = src.path();
        Set<HashAlgorithm> algs = EnumSet.noneOf(HashAlgorithm.class);
        algs.addAll(verifyHashes);
        algs.addAll(src.hashes().keySet());
        try {
            retrier.call("copy " + path, () -> copyOnce(c, src, path, algs));
        } catch (IntegrityException e) {
            // The bad copy is already in place with the right size and time: remove it, or the
            // next run would take it for a good one.
            try {
                destination.delete(path);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private Void copyOnce(SyncAction.CopyFile c, Entry src, SyncPath path, Set<HashAlgorithm> algs)
            throws IOException {
        AtomicLong sent = new AtomicLong();
        Entry written;
        TransferStream in;
        try (InputStream raw = source.open(path, 0)) {
            in = new TransferStream(raw, path.toString(), src.size(), algs, limiter, n -> {
                sent.addAndGet(n);
                listener.transferred(c, n);
            });
            written = destination.write(path, in, WriteHints.from(src));
        } catch (IOException | RuntimeException e) {
            // Progress already reported for this attempt is taken back so totals stay true.
            listener.transferred(c, -sent.get());
            throw e;
        }
        if (in.count() != src.size() || written.size() != src.size()) {
            throw new TransientSyncException(path + ": size after copy is " + written.size() + " (read "
                    + in.count() + "), expected " + src.size());
        }
        Map<HashAlgorithm, String> got = in.hashes();
        for (Map.Entry<HashAlgorithm, String> h : got.entrySet()) {
            String listed = src.hashes().get(h.getKey());
            if (listed != null && !listed.equals(h.getValue())) {
                throw new IntegrityException(path + ": " + h.getKey() + " of the bytes read is " + h.getValue()
                        + " but the source listed " + listed);
            }
            String stored = written.hashes().get(h.getKey());
            if (stored != null && !stored.equals(h.getValue())) {
                throw new IntegrityException(path + ": " + h.getKey() + " mismatch after copy: sent " + h.getValue()
                        + ", destination has " + stored);
            }
        }
        filesCopied.incrementAndGet();
        bytesCopied.addAndGet(in.count());
        Objects.requireNonNull(written);
        return null;
    }

    /** A copy arrived corrupted; retried, and removed from the destination if it stays bad. */
    static final class IntegrityException extends TransientSyncException {
        private static final long serialVersionUID = 1L;

        IntegrityException(String message) {
            super(message);
        }
    }
}
