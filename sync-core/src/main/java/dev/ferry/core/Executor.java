package dev.ferry.core;

import dev.ferry.api.DescribedReader;
import dev.ferry.api.PosixModes;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.Hasher;
import dev.ferry.api.ModTimeSetter;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.ServerSideCopy;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.TransientSyncException;
import dev.ferry.api.WantsHashes;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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

    /** Told about every action that finished, with the entry it left behind (two-way state). */
    interface Observer {
        /** {@code result} is the entry now at the action's path on its side, where there is one. */
        void finished(SyncAction action, Optional<Entry> result) throws IOException;
    }

    private final SyncTarget source;
    private final SyncTarget destination;
    private final SyncOptions options;
    private final SyncListener listener;
    private final Retrier retrier;
    private final RateLimiter limiter;
    private final Observer observer;
    private final boolean guardChanges;
    private final StateLayout layout;
    /** Whether writes carry a precondition: the file must still be as the scan saw it. */
    private final boolean protect;
    private final Appends appends;
    private final Moves moves;

    private final Queue<SyncFailure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final AtomicLong filesCopied = new AtomicLong();
    private final AtomicLong bytesCopied = new AtomicLong();
    private final AtomicLong touched = new AtomicLong();
    private final AtomicLong filesDeleted = new AtomicLong();
    private final AtomicLong dirsCreated = new AtomicLong();
    private final AtomicLong dirsDeleted = new AtomicLong();

    /**
     * @param guardChanges whether to look at a file again before replacing or deleting it, and
     *     leave it alone if it changed since the scan (two-way: someone may be editing it now)
     */
    Executor(SyncTarget source, SyncTarget destination, SyncOptions options, Retrier retrier, Observer observer,
            boolean guardChanges, StateLayout layout) {
        this.layout = layout;
        this.source = source;
        this.destination = destination;
        this.options = options;
        this.listener = options.listener();
        this.retrier = retrier;
        this.limiter = options.bandwidthLimit() > 0 ? new RateLimiter(options.bandwidthLimit()) : null;
        this.observer = observer;
        this.guardChanges = guardChanges;
        this.protect = guardChanges || options.protectChanges();
        this.moves = new Moves(retrier, guardChanges, protect);
        this.appends = new Appends(this::on, retrier, limiter, listener, n -> {
            filesCopied.incrementAndGet();
            bytesCopied.addAndGet(n);
        }, this::copy);
    }

    private SyncTarget on(SyncAction.Side side) {
        return side == SyncAction.Side.DESTINATION ? destination : source;
    }

    /**
     * Hashes to compute on the way for verification: those a target reports with the write
     * itself (an S3 ETag, say); a target that would have to read the file back (a
     * {@link Hasher}) is not asked.
     */
    private Set<HashAlgorithm> verifiable(SyncTarget to) {
        Set<HashAlgorithm> v = EnumSet.noneOf(HashAlgorithm.class);
        if (options.verify() && to.ability(Hasher.class).isEmpty()) {
            v.addAll(to.capabilities().hashes());
        }
        return v;
    }

    SyncReport execute(SyncPlan plan, Instant started) {
        failures.addAll(plan.scanFailures());
        List<SyncAction> actions = plan.actions();
        ExecutorService pool = Workers.newPool("ferry-transfer", options.transfers());
        try {
            int i = 0;
            while (i < actions.size()) {
                String stage = actions.get(i).stage();
                int j = i;
                while (j < actions.size() && actions.get(j).stage().equals(stage)) {
                    j++;
                }
                runStage(pool, actions.subList(i, j));
                Throwable t = fatal.get();
                if (t != null) {
                    // Not a failure of one file: the run itself cannot go on (an Error, a state
                    // journal that cannot be written). Stop before the next stage.
                    if (t instanceof Error e) {
                        throw e;
                    }
                    throw new IllegalStateException("sync stopped: " + t.getMessage(), t);
                }
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

    private void runStage(ExecutorService pool, List<SyncAction> stage) {
        if (stage.size() == 1) {
            performGuarded(stage.get(0));
            return;
        }
        CountDownLatch latch = new CountDownLatch(stage.size());
        for (SyncAction a : stage) {
            pool.execute(() -> {
                try {
                    performGuarded(a);
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

    private void performGuarded(SyncAction action) {
        if (fatal.get() != null) {
            return;
        }
        try {
            perform(action);
        } catch (Throwable t) {
            fatal.compareAndSet(null, t);
        }
    }

    private void perform(SyncAction action) throws IOException {
        listener.started(action);
        Optional<Entry> result;
        try {
            result = act(action);
        } catch (IOException | RuntimeException e) {
            SyncFailure f = new SyncFailure(action.path().toString(), stage(action), Errors.describe(e),
                    Errors.isTransient(e));
            LOG.debug("{} failed", action, e);
            failures.add(f);
            listener.failed(action, f);
            return;
        }
        // Outside the catch: a state journal that cannot be written stops the run.
        observer.finished(action, result);
        listener.finished(action);
    }

    private Optional<Entry> act(SyncAction action) throws IOException {
        SyncTarget target = on(action.side());
        return action.accept(new SyncAction.Visitor<Optional<Entry>>() {
            @Override
            public Optional<Entry> makeDirectory(SyncAction.MakeDirectory m) throws IOException {
                retrier.call("mkdir " + m.path(), () -> {
                    target.makeDirectories(m.path());
                    return null;
                });
                Optional<PosixModes> modes = target.ability(PosixModes.class);
                if (options.keepModes() && m.mode().isPresent() && modes.isPresent()
                        && modes.get().keepsDirectoryModes()
                        && on(m.side().other()).ability(PosixModes.class).isPresent()) {
                    // Owner rwx stays on while the run fills the directory (0500 would refuse its files).
                    modes.get().setDirectoryMode(m.path(), m.mode().getAsInt() | 0700);
                }
                dirsCreated.incrementAndGet();
                return Optional.empty();
            }

            @Override
            public Optional<Entry> copy(SyncAction.CopyFile c) throws IOException {
                return Optional.of(Executor.this.copy(c));
            }

            @Override
            public Optional<Entry> setTime(SyncAction.UpdateModTime u) throws IOException {
                Instant t = u.source().modTime().orElseThrow();
                ModTimeSetter setter = target.ability(ModTimeSetter.class).orElseThrow();
                Entry e = retrier.call("set time " + u.path(), () -> setter.setModTime(u.path(), t));
                touched.incrementAndGet();
                return Optional.of(e);
            }

            @Override
            public Optional<Entry> move(SyncAction.MoveFile m) throws IOException {
                return Optional.of(moves.move(target, m));
            }

            @Override
            public Optional<Entry> deleteFile(SyncAction.DeleteFile d) throws IOException {
                moves.deleteListed(target, d.destination());
                filesDeleted.incrementAndGet();
                return Optional.empty();
            }

            @Override
            public Optional<Entry> append(SyncAction.AppendFile a) throws IOException {
                return Optional.of(appends.append(a));
            }

            @Override
            public Optional<Entry> deleteDirectory(SyncAction.DeleteDirectory d) throws IOException {
                delete(target, d.path());
                dirsDeleted.incrementAndGet();
                return Optional.empty();
            }
        });
    }

    private void delete(SyncTarget target, SyncPath path) throws IOException {
        retrier.call("delete " + path, () -> {
            target.delete(path);
            return null;
        });
    }

    private static SyncFailure.Stage stage(SyncAction a) {
        return switch (a.kind()) {
            case MAKE_DIRECTORY -> SyncFailure.Stage.MAKE_DIRECTORY;
            case COPY, MOVE, APPEND -> SyncFailure.Stage.COPY;
            case SET_TIME -> SyncFailure.Stage.SET_MOD_TIME;
            case DELETE_FILE, DELETE_DIRECTORY -> SyncFailure.Stage.DELETE;
        };
    }

    private Entry copy(SyncAction.CopyFile c) throws IOException {
        SyncTarget from = on(c.side().other());
        SyncTarget to = on(c.side());
        // A listing may leave the time out; the copy must still keep it. A source whose reads
        // describe the file gives it with the content (one request, not a stat and a read).
        Entry src = describedReader(from, to, c.source()).isPresent() ? c.source()
                : withMode(from, to, FileComparator.withDetails(from, c.source()));
        SyncPath path = src.path();
        if (c.replaced().isPresent()) {
            moves.unchangedSinceScan(to, c.replaced().get());
        }
        Set<HashAlgorithm> algs = verifiable(to);
        algs.addAll(src.hashes().keySet());
        WriteHints.Precondition pre = preconditionFor(c);
        Optional<ServerSideCopy> storeCopy = resumable(to, src.size()) ? Optional.empty() : storeCopy(from, to, pre);
        if (storeCopy.isPresent()) {
            Entry copied = retrier.call("copy " + path + " on the server",
                    () -> storeCopy.get().copyFrom(from, src.path(), path));
            filesCopied.incrementAndGet();
            bytesCopied.addAndGet(copied.size());
            listener.transferred(c, copied.size());
            return copied;
        }
        try {
            return retrier.call("copy " + path, () -> copyOnce(from, to, c, src, path, algs, pre));
        } catch (IntegrityException e) {
            // The bad copy is already in place with the right size and time: remove it, or the
            // next run would take it for a good one.
            try {
                to.delete(path);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private final Map<SyncTarget, TransferJournal> journals = new java.util.concurrent.ConcurrentHashMap<>();

    private TransferJournal journal(SyncTarget to) throws IOException {
        TransferJournal j = journals.get(to);
        if (j == null) {
            j = TransferJournal.open(layout.transferJournal(to.description()));
            TransferJournal raced = journals.putIfAbsent(to, j);
            if (raced != null) {
                j = raced;
            }
        }
        return j;
    }

    /**
     * A large file to a target that can resume writes: continues what an earlier process (or
     * attempt) left, if the source is still the same version; records the write's token before
     * sending a byte, and drops it once the file is in place.
     */
    private Entry copyResumable(SyncTarget from, SyncTarget to, ResumableWriter rw, SyncAction.CopyFile c, Entry src,
            SyncPath path, WriteHints.Precondition pre) throws IOException {
        TransferJournal journal = journal(to);
        String key = path + "\u0000" + src.size() + "\u0000" + src.modTime().map(Instant::toString).orElse("")
                + "\u0000" + src.version().orElse("");
        WriteHints hints = hintsFor(from, to, src).withPrecondition(pre);
        ResumableWriter.PartialWrite w = null;
        long offset = 0;
        Optional<String> token = journal.token(key);
        if (token.isPresent()) {
            w = rw.resume(token.get(), hints).orElse(null);
            if (w != null) {
                offset = w.committedBytes();
                if (offset > src.size()) {
                    w.abort();
                    w = null;
                    offset = 0;
                }
            }
        }
        if (w == null) {
            w = rw.begin(path, hints);
            journal.begun(key, w.token());
        }
        AtomicLong sent = new AtomicLong();
        TransferStream in;
        try (InputStream raw = from.open(path, offset)) {
            in = new TransferStream(raw, path.toString(), src.size() - offset, Set.of(), limiter, n -> {
                sent.addAndGet(n);
                listener.transferred(c, n);
            }, () -> stillAsListed(from, src));
            w.append(in);
        } catch (IOException | RuntimeException e) {
            listener.transferred(c, -sent.get());
            if (!Errors.isTransient(e)) {
                // Retrying will not help this version of the file: drop what was sent.
                w.abort();
                journal.ended(key);
            }
            throw e;
        }
        Entry written = w.complete();
        journal.ended(key);
        if (written.size() != src.size()) {
            throw new TransientSyncException(path + ": size after copy is " + written.size() + ", expected " + src.size());
        }
        filesCopied.incrementAndGet();
        bytesCopied.addAndGet(in.count());
        return written;
    }

    /**
     * The source entry's size, time and hashes, plus the hashes the destination wants told up
     * front ({@link WantsHashes}) and the listing did not carry, asked of the source's
     * {@link Hasher}. A source that cannot say leaves them out: the write goes ahead without.
     */
    private WriteHints hintsFor(SyncTarget from, SyncTarget to, Entry src) throws IOException {
        WriteHints hints = WriteHints.from(src);
        // Only a side that keeps modes is believed (an FTP server's LIST may show made-up letters).
        if (options.keepModes() && src.mode().isPresent() && to.ability(PosixModes.class).isPresent()
                && from.ability(PosixModes.class).isPresent()) {
            hints = hints.withMode(src.mode().getAsInt());
        }
        Optional<WantsHashes> wants = to.ability(WantsHashes.class);
        Optional<Hasher> hasher = from.ability(Hasher.class);
        if (wants.isEmpty() || hasher.isEmpty()) {
            return hints;
        }
        for (HashAlgorithm a : wants.get().hashesWanted(src.size())) {
            if (!hints.hashes().containsKey(a) && from.capabilities().hashes().contains(a)) {
                Optional<String> h = hasher.get().hash(src.path(), a);
                if (h.isPresent()) {
                    hints = hints.withHash(a, h.get());
                }
            }
        }
        return hints;
    }

    /** Whether a file of this size goes through {@code to}'s resumable writes (a store copy cannot be continued). */
    private boolean resumable(SyncTarget to, long size) {
        Optional<ResumableWriter> rw = to.ability(ResumableWriter.class);
        return rw.isPresent() && size >= Math.max(options.resumableFrom(), rw.get().minimumResumableSize());
    }

    /**
     * The destination's server-side copy when source and destination are one store (the bytes
     * then never pass through this process), for one-way runs; not where a precondition must be
     * checked as the file goes in (a store copy cannot check one) or a bandwidth limit applies.
     */
    private Optional<ServerSideCopy> storeCopy(SyncTarget from, SyncTarget to, WriteHints.Precondition pre) {
        if (guardChanges || !pre.isNone() || limiter != null) {
            return Optional.empty();
        }
        return to.ability(ServerSideCopy.class).filter(sc -> sc.canCopyFrom(from));
    }

    /**
     * What the written side must still hold when the new version goes in: the file the plan saw,
     * or nothing. The target checks it at the last moment (a conditional request, or the file
     * taken aside and compared), so an edit made while the content was on its way is kept; the
     * early stat in {@link Moves#unchangedSinceScan} only saves sending bytes that would be refused.
     */
    private WriteHints.Precondition preconditionFor(SyncAction.CopyFile c) {
        if (!protect) {
            return WriteHints.Precondition.NONE;
        }
        if (c.replaced().isEmpty()) {
            return WriteHints.Precondition.absent();
        }
        Entry replaced = c.replaced().get();
        // A directory in the way is deleted by an earlier stage of the same plan.
        return replaced.isFile() ? WriteHints.Precondition.unchanged(replaced) : WriteHints.Precondition.NONE;
    }

    private Entry copyOnce(SyncTarget from, SyncTarget to, SyncAction.CopyFile c, Entry src, SyncPath path,
            Set<HashAlgorithm> algs, WriteHints.Precondition pre) throws IOException {
        Optional<ResumableWriter> rw = to.ability(ResumableWriter.class);
        if (rw.isPresent() && resumable(to, src.size())) {
            // The journal keys a resumable write by the source's time: know it before the read.
            return copyResumable(from, to, rw.get(), c, withMode(from, to, FileComparator.withDetails(from, src)),
                    path, pre);
        }
        Optional<DescribedReader> describer = describedReader(from, to, src);
        DescribedReader.Read described = describer.isPresent() ? describer.get().openDescribed(path, 0) : null;
        if (described != null) {
            // The file as this read found it: its time, and its size and hashes even if it
            // changed since the listing (the copy is then checked against what was read).
            src = described.entry();
            Set<HashAlgorithm> withRead = EnumSet.noneOf(HashAlgorithm.class);
            withRead.addAll(algs); // not algs itself: each attempt of the retrier starts from the listing's
            withRead.addAll(src.hashes().keySet());
            algs = withRead;
        }
        WriteHints hints;
        try {
            hints = hintsFor(from, to, src).withPrecondition(pre);
        } catch (IOException | RuntimeException e) {
            if (described != null) {
                described.close();
            }
            throw e;
        }
        AtomicLong sent = new AtomicLong();
        Entry written;
        TransferStream in;
        try (InputStream raw = described != null ? described.content() : from.open(path, 0)) {
            Entry read = src;
            in = new TransferStream(raw, path.toString(), src.size(), algs, limiter, n -> {
                sent.addAndGet(n);
                listener.transferred(c, n);
            }, () -> stillAsListed(from, read));
            written = Appends.write(to, src, in, hints);
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
            String listed = hints.hashes().get(h.getKey()); // listed by the source, or asked of it before
            if (listed != null && !listed.equals(h.getValue())) {
                throw new IntegrityException(path + ": " + h.getKey() + " of the bytes read is " + h.getValue()
                        + " but the source gave " + listed);
            }
            String stored = written.hashes().get(h.getKey());
            if (stored != null && !stored.equals(h.getValue())) {
                throw new IntegrityException(path + ": " + h.getKey() + " mismatch after copy: sent " + h.getValue()
                        + ", destination has " + stored);
            }
        }
        filesCopied.incrementAndGet();
        bytesCopied.addAndGet(in.count());
        return written;
    }

    /**
     * Whether the source file is still the size, time and version {@code src} says: after a read
     * that ended early, this tells a lost connection (retry) from a changed file (leave it).
     */
    private static boolean stillAsListed(SyncTarget from, Entry src) throws IOException {
        Optional<Entry> now = from.stat(src.path());
        if (now.isEmpty() || !now.get().isFile() || now.get().size() != src.size()) {
            return false;
        }
        Entry e = now.get();
        // A listing may hold a coarser time than a stat (an FTP LIST's minute against MDTM's second).
        Duration grain = src.modTimePrecision().compareTo(e.modTimePrecision()) > 0 ? src.modTimePrecision()
                : e.modTimePrecision();
        boolean sameTime = src.modTime().isEmpty() || e.modTime().isEmpty()
                || Duration.between(src.modTime().get(), e.modTime().get()).abs().compareTo(grain) <= 0;
        boolean sameVersion = src.version().isEmpty() || e.version().isEmpty() || src.version().equals(e.version());
        return sameTime && sameVersion;
    }

    /**
     * The source's {@link DescribedReader} when the entry lacks a time the copy must keep and the
     * source's reads tell it; else empty (a stat gives the time, as for any other source).
     */
    private Optional<DescribedReader> describedReader(SyncTarget from, SyncTarget to, Entry src) {
        boolean timeMissing = src.modTime().isEmpty() && from.capabilities().keepsModTime();
        if (!timeMissing && !modeMissing(from, to, src)) {
            return Optional.empty();
        }
        return from.ability(DescribedReader.class);
    }

    /**
     * Whether modes are kept and this source entry lacks one its target keeps but did not list
     * (S3 metadata): a {@link DescribedReader} read or a stat then tells it.
     */
    private boolean modeMissing(SyncTarget from, SyncTarget to, Entry src) {
        if (!options.keepModes() || src.mode().isPresent() || to.ability(PosixModes.class).isEmpty()) {
            return false;
        }
        return from.ability(PosixModes.class).filter(m -> !m.listsModes()).isPresent();
    }

    /** The source entry with its mode, asked of the source where modes are kept and the listing left it out. */
    private Entry withMode(SyncTarget from, SyncTarget to, Entry src) throws IOException {
        if (!modeMissing(from, to, src)) {
            return src;
        }
        return from.stat(src.path()).filter(Entry::isFile).orElse(src);
    }

    /** A copy arrived corrupted; retried, and removed from the destination if it stays bad. */
    static final class IntegrityException extends TransientSyncException {
        private static final long serialVersionUID = 1L;

        IntegrityException(String message) {
            super(message);
        }
    }
}
