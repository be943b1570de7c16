package dev.ferry.core;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A two-way pair's memory: both sides as they were after the last run ({@link StateStore}),
 * held under the pair's lock for the whole run so two runs never overlap. The state advances
 * only for actions that finished (journaled one by one), so a run that dies anywhere is simply
 * run again.
 */
final class TwoWayState implements RunMemory {

    private final SyncTarget a;
    private final SyncTarget b;
    private final SyncOptions options;
    private final PairLock lock;
    private final StateStore store;
    private final boolean readOnly;
    /** For each rename done as a move, the entry the other side has at the new path. */
    private volatile Map<SyncPath, Entry> renames = Map.of();
    /** The entry a conflict copy got when moved aside, to remember with its copy. */
    private final Map<SyncPath, Entry> moved = new ConcurrentHashMap<>();

    private TwoWayState(SyncTarget a, SyncTarget b, SyncOptions options, PairLock lock, StateStore store,
            boolean readOnly) {
        this.a = a;
        this.b = b;
        this.options = options;
        this.lock = lock;
        this.store = store;
        this.readOnly = readOnly;
    }

    static TwoWayState open(SyncTarget a, SyncTarget b, SyncOptions options, StateLayout layout, boolean readOnly)
            throws IOException {
        PairLock lock = PairLock.acquire(layout.pairFile(a.description(), b.description(), ".lock"));
        try {
            StateStore store = StateStore.load(layout.pairFile(a.description(), b.description(), ".state"));
            return new TwoWayState(a, b, options, lock, store, readOnly);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public SyncPlan plan(Retrier retrier) throws IOException {
        TwoWayPlanner.Result r = new TwoWayPlanner(a, b, options, retrier, store.records()).plan();
        renames = r.renames();
        if (!readOnly && (!r.remember().isEmpty() || !r.forget().isEmpty())) {
            // Pairs found equal and paths gone on both sides need no action: remembered now.
            store.update(r.remember(), r.forget());
            store.save();
        }
        return r.plan();
    }

    @Override
    public Executor.Observer observer() {
        return (action, result) -> action.accept(new SyncAction.Visitor<Void>() {
            @Override
            public Void copy(SyncAction.CopyFile c) throws IOException {
                if (result.isPresent()) {
                    Entry from = moved.getOrDefault(c.path(), c.source());
                    remember(c.side(), from, result.get());
                }
                return null;
            }

            @Override
            public Void move(SyncAction.MoveFile m) throws IOException {
                if (result.isEmpty()) {
                    return null;
                }
                Entry other = renames.get(m.to());
                if (other != null) {
                    // A rename carried out as a move: the new path is synced, the old one gone.
                    remember(m.side(), other, result.get());
                    store.remove(m.file().path());
                } else {
                    moved.put(m.to(), result.get());
                }
                return null;
            }

            @Override
            public Void makeDirectory(SyncAction.MakeDirectory m) throws IOException {
                Entry dir = Entry.directory(m.path()).build();
                store.put(StateRecord.of(dir, dir));
                return null;
            }

            @Override
            public Void deleteFile(SyncAction.DeleteFile d) throws IOException {
                store.remove(d.path());
                return null;
            }

            @Override
            public Void deleteDirectory(SyncAction.DeleteDirectory d) throws IOException {
                store.remove(d.path());
                return null;
            }

            @Override
            public Void setTime(SyncAction.UpdateModTime u) {
                return null;
            }
        });
    }

    /** {@code written} is what the side written to holds now; {@code other} what the other side has. */
    private void remember(SyncAction.Side written, Entry other, Entry now) throws IOException {
        store.put(written == SyncAction.Side.DESTINATION ? StateRecord.of(other, now) : StateRecord.of(now, other));
    }

    @Override
    public boolean guardsChanges() {
        return true;
    }

    @Override
    public void finish(SyncPlan plan) throws IOException {
        if (!readOnly && !plan.actions().isEmpty()) {
            store.save();
        }
    }

    @Override
    public void close() throws IOException {
        lock.close();
    }
}
