package dev.ferry.core;

import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What a one-way run remembers where times alone cannot tell cheaply whether a file changed:
 * for each file, the source as it was copied and the destination as the copy left it (its ETag
 * or upload time). Two cases:
 *
 * <ul>
 *   <li><b>A side keeps no times</b> (a plain WebDAV server stamps every upload with the time it
 *       arrived). A later run tells an edit that kept the size (the source moved on from what
 *       was copied) and a destination changed behind its back (another ETag) from a file that
 *       is simply in step, instead of trusting sizes as rclone does there, or copying
 *       everything every time. A file met on both sides with no memory yet (the first run, a
 *       memory lost) is judged by size, and by listed hashes where both sides have them, and
 *       remembered as it is: the first run over an existing tree uploads nothing it cannot
 *       tell apart.</li>
 *   <li><b>Both keep times but a listing leaves them out</b> ({@link
 *       dev.ferry.api.Capabilities#listsModTimes()}: S3 keeps the time in per-object metadata,
 *       a HEAD per object). A file whose two sides are still as remembered is in step without
 *       asking; any other is compared by time as usual (a {@code stat}), then remembered. So a
 *       no-op run over 10,000 objects needs no request per object, where rclone sends a HEAD
 *       for each.</li>
 * </ul>
 *
 * <p>Kept in the same binary format as two-way state, in the pair's state directory
 * ({@code pairs/<hash>.copies}); each finished copy is journaled at once, so a run killed
 * half-way remembers what it did. A record can only ever say "these two were in step": one
 * lost or stale costs a copy (or a stat), never a missed change.
 */
final class CopyMemory implements RunMemory {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CopyMemory.class);

    private final StateStore store;
    private final SyncTarget source;
    private final SyncTarget destination;
    private final SyncOptions options;
    private final boolean readOnly;
    private final Queue<StateRecord> confirmed = new ConcurrentLinkedQueue<>();
    private final Set<SyncPath> seen = ConcurrentHashMap.newKeySet();

    private CopyMemory(StateStore store, SyncTarget source, SyncTarget destination, SyncOptions options,
            boolean readOnly) {
        this.store = store;
        this.source = source;
        this.destination = destination;
        this.options = options;
        this.readOnly = readOnly;
    }

    /**
     * Whether a one-way run between these targets needs a memory: times don't tell there, or
     * a listing leaves them out.
     */
    static boolean needed(SyncTarget source, SyncTarget destination, SyncOptions options) {
        Capabilities s = source.capabilities();
        Capabilities d = destination.capabilities();
        return options.mode() != SyncMode.TWO_WAY && options.compare() == CompareMode.SIZE_AND_MODTIME
                && !(s.keepsModTime() && d.keepsModTime() && s.listsModTimes() && d.listsModTimes());
    }

    /** The memory of the pair {@code source -> destination}, for a run (or a dry run) with these options. */
    static CopyMemory open(SyncTarget source, SyncTarget destination, SyncOptions options, StateLayout layout,
            boolean readOnly) throws IOException {
        StateStore store = load(layout.pairFile(source.description(), destination.description(), ".copies"));
        return new CopyMemory(store, source, destination, options, readOnly);
    }

    /**
     * Plans with the memory. No lock, unlike two-way: runs that overlap (a job's syncNow during
     * its regular run) can at worst lose each other's notes, and a note lost only costs one more
     * copy later. A dry run is judged by the memory but leaves it as it was.
     */
    @Override
    public SyncPlan plan(Retrier retrier) throws IOException {
        SyncPlan plan = new Planner(source, destination, options, retrier, this).plan();
        if (!readOnly) {
            planned();
        }
        return plan;
    }

    @Override
    public boolean guardsChanges() {
        return false;
    }

    @Override
    public void finish(SyncPlan plan) throws IOException {
        if (!readOnly && !plan.actions().isEmpty()) {
            store.save();
        }
    }

    @Override
    public void close() {
        // nothing held: no lock (see plan)
    }

    /**
     * Loads the memory; a damaged one is set aside and started afresh, which costs nothing but
     * a first-run judgement by size.
     */
    private static StateStore load(Path file) throws IOException {
        try {
            return StateStore.load(file);
        } catch (IOException e) {
            if (!java.nio.file.Files.exists(file)) {
                throw e;
            }
            LOG.warn("the record of copies {} is damaged ({}); set aside as .damaged, files are judged by size"
                    + " until it is rebuilt", file, e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            java.nio.file.Files.move(file, file.resolveSibling(file.getFileName() + ".damaged"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            java.nio.file.Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".journal"));
            return StateStore.load(file);
        }
    }

    /**
     * Whether both sides of a file are still as remembered (as the last copy, or the last
     * comparison that found them equal, left them). Notes the path as met.
     */
    boolean inStep(Entry source, Entry destination) {
        seen.add(source.path());
        StateRecord r = store.records().get(source.path());
        return r != null && !StateRecord.changed(source, r.a()) && !StateRecord.changed(destination, r.b());
    }

    /** Whether there is a memory of this file at all. */
    boolean remembers(SyncPath path) {
        return store.records().containsKey(path);
    }

    /** Remembers two sides found equal, as listed (saved by {@link #planned()}). */
    void remember(Entry source, Entry destination) {
        confirmed.add(StateRecord.of(source, destination));
    }

    /** Notes a file present on both sides that the plan copies: its memory stays until the copy succeeds. */
    void copying(SyncPath path) {
        seen.add(path);
    }

    /**
     * After planning: takes in the files first met in this run and forgets files no longer on
     * both sides (deleted, excluded), then saves.
     */
    void planned() throws IOException {
        List<SyncPath> gone = new ArrayList<>();
        for (SyncPath p : store.records().keySet()) {
            if (!seen.contains(p)) {
                gone.add(p);
            }
        }
        if (!gone.isEmpty() || !confirmed.isEmpty()) {
            store.update(confirmed, gone);
            store.save();
        }
        seen.clear();
        confirmed.clear();
    }

    /** Remembers every finished copy (journaled at once) and forgets every deleted file. */
    @Override
    public Executor.Observer observer() {
        return (action, result) -> {
            if (action.kind() == SyncAction.Kind.COPY && result.isPresent()) {
                store.put(StateRecord.of(((SyncAction.CopyFile) action).source(), result.get()));
            } else if (action instanceof SyncAction.AppendFile a && result.isPresent()) {
                store.put(StateRecord.of(a.source(), result.get()));
            } else if (action.kind() == SyncAction.Kind.DELETE_FILE) {
                store.remove(action.path());
            }
        };
    }
}
