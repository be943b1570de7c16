package dev.ferry.core;

import dev.ferry.api.Entry;
import dev.ferry.api.EntryKind;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.backend.support.ConflictNames;
import dev.ferry.core.SyncAction.Side;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Plans a two-way run: each path is judged against what both sides looked like after the last
 * run (Unison's way), name by name along the walk both planners share ({@link TreeWalk}).
 *
 * <ul>
 *   <li>Changed on one side only: the change goes to the other, a deletion included.</li>
 *   <li>New on both, or changed on both: if the contents are now equal, nothing moves and the
 *       state remembers them; otherwise it is a conflict for the {@link ConflictPolicy}.</li>
 *   <li>Deleted on one side, changed on the other: the change wins and comes back.</li>
 *   <li>No state (a first run): the union of both sides; nothing is deleted.</li>
 * </ul>
 * Deletions are withheld per side when the other side listed empty or with errors, or when a
 * delete limit is exceeded, so an unreachable side never reads as "everything was deleted".
 */
final class TwoWayPlanner {

    /**
     * The plan; the state updates that need no action (equal pairs, paths gone on both sides);
     * and for each rename done as a move, the entry the other side has at the new path.
     */
    record Result(SyncPlan plan, List<StateRecord> remember, List<SyncPath> forget, Map<SyncPath, Entry> renames) {}

    private final SyncTarget a;
    private final SyncTarget b;
    private final SyncOptions options;
    private final NavigableMap<SyncPath, StateRecord> state;
    private final Filter filter;
    private final Instant now;
    private final Lister lister;
    private final FileComparator byContent;

    private final Queue<SyncAction> moves = new ConcurrentLinkedQueue<>();
    private final Queue<SyncAction> makeDirs = new ConcurrentLinkedQueue<>();
    private final Queue<SyncAction> copies = new ConcurrentLinkedQueue<>();
    private final Queue<SyncAction> fileDeletes = new ConcurrentLinkedQueue<>();
    private final Queue<SyncAction.DeleteDirectory> dirDeletes = new ConcurrentLinkedQueue<>();
    private final Queue<StateRecord> remember = new ConcurrentLinkedQueue<>();
    private final Queue<SyncPath> forget = new ConcurrentLinkedQueue<>();
    private final Set<SyncPath> keptOnA = ConcurrentHashMap.newKeySet();
    private final Set<SyncPath> keptOnB = ConcurrentHashMap.newKeySet();
    /** Conflict names given out in this run (keys as the lister folds them). */
    private final Set<SyncPath> conflictNamesTaken = ConcurrentHashMap.newKeySet();
    private final Queue<SyncFailure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong filesOnA = new AtomicLong();
    private final AtomicLong filesOnB = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final TreeWalk<StateRecord> walk;

    TwoWayPlanner(SyncTarget a, SyncTarget b, SyncOptions options, Retrier retrier,
            NavigableMap<SyncPath, StateRecord> state) {
        this.a = a;
        this.b = b;
        this.options = options;
        this.state = state;
        this.filter = options.filter();
        this.now = Instant.now(options.clock());
        boolean foldCase = !a.capabilities().caseSensitive() || !b.capabilities().caseSensitive();
        this.lister = new Lister(options, retrier, foldCase, failures);
        this.walk = new TreeWalk<>(a, b, lister, failures, false);
        // Where both sides changed, equal content is worth a hash: it saves a conflict.
        this.byContent = new FileComparator(a, b, options.toBuilder().compare(CompareMode.CHECKSUM).build());
    }

    Result plan() throws IOException {
        Planner.checkNotNested(a.description(), b.description());
        Lister.Listing rootA = listRoot(a, "source");
        Lister.Listing rootB = listRoot(b, "destination");
        if (rootA == null || rootB == null) {
            throw new IOException("cannot list " + (rootA == null ? a.description() : b.description()) + ": "
                    + failures.peek().message());
        }
        walk.run(options.checkers(), rootA, rootB, new TreeWalk.Decider<StateRecord>() {
            @Override
            public Map<String, StateRecord> remembered(SyncPath dir) {
                Map<String, StateRecord> ls = new TreeMap<>();
                for (Map.Entry<SyncPath, StateRecord> e : state.tailMap(dir, false).entrySet()) {
                    SyncPath p = e.getKey();
                    if (!dir.contains(p)) {
                        break;
                    }
                    if (p.depth() == dir.depth() + 1) {
                        ls.put(lister.key(p.name()), e.getValue());
                    }
                }
                return ls;
            }

            @Override
            public void decide(SyncPath dir, Entry ea, Entry eb, StateRecord s, Lister.Listing la, Lister.Listing lb) {
                if (ea == null && la.namesMissing() || eb == null && lb.namesMissing()) {
                    // A side could not spell some names here: that this one is missing proves
                    // nothing (it may be one of them), so it is neither deleted nor copied back.
                    keep(dir);
                    return;
                }
                TwoWayPlanner.this.decide(dir, ea, eb, s, la.entries(), lb.entries());
            }

            @Override
            public void unlisted(SyncPath dir, Side side) {
                keep(dir);
            }
        });
        return assemble(rootA.entries().isEmpty(), rootB.entries().isEmpty());
    }

    /** A missing root is an empty one (it is created when something is copied there). */
    private Lister.Listing listRoot(SyncTarget t, String side) throws IOException {
        try {
            return lister.list(t, SyncPath.ROOT, side);
        } catch (NotFoundException e) {
            return Lister.Listing.EMPTY;
        }
    }

    private void decide(SyncPath dir, Entry ea, Entry eb, StateRecord s, Map<String, Entry> la,
            Map<String, Entry> lb) {
        boolean anyDir = ea != null && ea.isDirectory() || eb != null && eb.isDirectory()
                || s != null && s.kind() == EntryKind.DIRECTORY;
        boolean anyFile = ea != null && ea.isFile() || eb != null && eb.isFile()
                || s != null && s.kind() == EntryKind.FILE;
        SyncPath path = ea != null ? ea.path() : eb != null ? eb.path() : s.path();
        if (anyDir && anyFile) {
            if (ea != null && eb != null && ea.kind() != eb.kind()) {
                failures.add(new SyncFailure(path.toString(), SyncFailure.Stage.COMPARE,
                        "a file on one side and a directory on the other; rename one of them", false));
                keep(dir);
                return;
            }
            // One side replaced a synced file by a directory or the other way round: judge by
            // what is there now, as if new.
            s = null;
            anyDir = ea != null && ea.isDirectory() || eb != null && eb.isDirectory();
        }
        if (anyDir) {
            directory(path, ea, eb, s);
        } else {
            file(dir, path, ea, eb, s, la, lb);
        }
    }

    private void directory(SyncPath path, Entry ea, Entry eb, StateRecord s) {
        if (!filter.includesDirectory(path)) {
            keep(path.parent());
            return;
        }
        if (ea != null && eb != null) {
            if (s == null) {
                remember.add(StateRecord.of(ea, eb));
            }
            walk.descend(path, true, true);
        } else if (ea != null || eb != null) {
            Side missingOn = ea == null ? Side.SOURCE : Side.DESTINATION;
            if (s == null) {
                // New on one side: create it on the other, then its contents follow.
                makeDirs.add(new SyncAction.MakeDirectory(path, missingOn, (ea != null ? ea : eb).mode()));
            } else {
                // Deleted on one side: its contents are judged one by one, and the directory
                // goes too unless something in it changed (then it comes back).
                dirDeletes.add(new SyncAction.DeleteDirectory(path, missingOn.other()));
            }
            walk.descend(path, ea != null, eb != null);
        } else {
            forgetTree(path);
        }
    }

    private void file(SyncPath dir, SyncPath path, Entry ea, Entry eb, StateRecord s, Map<String, Entry> la,
            Map<String, Entry> lb) {
        if (ea != null && !filter.includesFile(ea, now) || eb != null && !filter.includesFile(eb, now)) {
            keep(dir);
            return;
        }
        if (ea != null) {
            filesOnA.incrementAndGet();
        }
        if (eb != null) {
            filesOnB.incrementAndGet();
        }
        boolean changedA = s == null ? ea != null : StateRecord.changed(ea, s.a());
        boolean changedB = s == null ? eb != null : StateRecord.changed(eb, s.b());
        if (s != null && !changedA && !changedB) {
            unchanged.incrementAndGet();
            keep(dir);
            return;
        }
        if (changedA && !changedB) {
            if (ea == null) {
                fileDeletes.add(new SyncAction.DeleteFile(eb, Side.DESTINATION));
            } else {
                copy(ea, Optional.ofNullable(eb), s == null ? SyncAction.Reason.MISSING : SyncAction.Reason.CHANGED,
                        Side.DESTINATION);
            }
            return;
        }
        if (changedB && !changedA) {
            if (eb == null) {
                fileDeletes.add(new SyncAction.DeleteFile(ea, Side.SOURCE));
            } else {
                copy(eb, Optional.ofNullable(ea), s == null ? SyncAction.Reason.MISSING : SyncAction.Reason.CHANGED,
                        Side.SOURCE);
            }
            return;
        }
        // Both changed (or both new).
        if (ea == null && eb == null) {
            forget.add(path);
            return;
        }
        if (ea == null || eb == null) {
            // A deletion never beats a change.
            Entry survivor = ea != null ? ea : eb;
            copy(survivor, Optional.empty(), SyncAction.Reason.RESTORES_DELETED,
                    ea != null ? Side.DESTINATION : Side.SOURCE);
            return;
        }
        try {
            FileComparator.Verdict v = byContent.compare(ea, eb);
            if (v == FileComparator.Verdict.EQUAL || v == FileComparator.Verdict.TOUCH) {
                remember.add(StateRecord.of(ea, eb));
                unchanged.incrementAndGet();
                keep(dir);
                return;
            }
        } catch (IOException e) {
            failures.add(new SyncFailure(path.toString(), SyncFailure.Stage.COMPARE, Errors.describe(e),
                    Errors.isTransient(e)));
            keep(dir);
            return;
        }
        conflict(dir, ea, eb, la, lb);
    }

    private void copy(Entry from, Optional<Entry> replaced, SyncAction.Reason reason, Side to) {
        copies.add(new SyncAction.CopyFile(from, replaced, reason, to));
        // Its directory stays on both sides (keepAncestors relies on every insert marking the
        // whole chain up to the root).
        keep(from.path().parent());
    }

    private void conflict(SyncPath dir, Entry ea, Entry eb, Map<String, Entry> la, Map<String, Entry> lb) {
        ConflictPolicy policy = options.conflictPolicy();
        if (policy == ConflictPolicy.STOP) {
            failures.add(new SyncFailure(ea.path().toString(), SyncFailure.Stage.COMPARE,
                    "changed on both sides since the last run (conflict policy: stop); resolve it by hand", false));
            keep(dir);
            return;
        }
        if (policy != ConflictPolicy.SOURCE_WINS && policy != ConflictPolicy.DESTINATION_WINS) {
            // The newer one wins: a listing that leaves times out (S3) must not make a file look
            // as old as the epoch, so ask for the two times (two stats per conflict; conflicts are rare).
            try {
                ea = FileComparator.withDetails(a, ea);
                eb = FileComparator.withDetails(b, eb);
            } catch (IOException e) {
                failures.add(new SyncFailure(ea.path().toString(), SyncFailure.Stage.COMPARE, Errors.describe(e),
                        Errors.isTransient(e)));
                keep(dir);
                return;
            }
        }
        Side winner = switch (policy) {
            case SOURCE_WINS -> Side.SOURCE;
            case DESTINATION_WINS -> Side.DESTINATION;
            default -> newer(ea, eb);
        };
        Entry win = winner == Side.SOURCE ? ea : eb;
        Entry lose = winner == Side.SOURCE ? eb : ea;
        Side loser = winner.other();
        if (policy != ConflictPolicy.KEEP_BOTH) {
            copy(win, Optional.of(lose), SyncAction.Reason.CONFLICT_WINNER, loser);
            return;
        }
        Map<String, Entry> loserListing = loser == Side.SOURCE ? la : lb;
        if (alreadyKept(lose, loserListing, loser == Side.SOURCE ? a : b)) {
            // An earlier run kept this very version aside and stopped before the winner came in
            // (a crash, a failed copy): the winner replaces it; the kept copy travels on its own.
            copy(win, Optional.of(lose), SyncAction.Reason.CONFLICT_WINNER, loser);
            return;
        }
        SyncPath conflictPath = conflictName(lose.path(), sideId(loser == Side.SOURCE ? a : b), la, lb);
        moves.add(new SyncAction.MoveFile(lose, conflictPath, loser));
        copy(win, Optional.empty(), SyncAction.Reason.CONFLICT_WINNER, loser);
        copy(lose.withPath(conflictPath), Optional.empty(), SyncAction.Reason.MISSING, winner);
        pruneConflictCopies(lose.path(), la, Side.SOURCE);
        pruneConflictCopies(lose.path(), lb, Side.DESTINATION);
    }

    /**
     * Whether the losing version already has a conflict copy beside it: one of its conflict names
     * holding the same bytes, proven by a hash the side computes (size and time alone are no
     * proof: a different file may share them, and the loser would then be overwritten).
     */
    private static boolean alreadyKept(Entry lose, Map<String, Entry> listing, SyncTarget side) {
        Optional<dev.ferry.api.Hasher> hasher = side.ability(dev.ferry.api.Hasher.class);
        Optional<dev.ferry.api.HashAlgorithm> alg = side.capabilities().hashes().stream().findFirst();
        if (hasher.isEmpty() || alg.isEmpty()) {
            return false;
        }
        Pattern p = ConflictNames.pattern(lose.path().name());
        Optional<String> loser = null; // hashed once, when a candidate needs it
        try {
            for (Entry e : listing.values()) {
                if (e.isFile() && e.size() == lose.size() && p.matcher(e.path().name()).matches()) {
                    if (loser == null) {
                        loser = hasher.get().hash(lose.path(), alg.get());
                    }
                    if (loser.isPresent() && loser.equals(hasher.get().hash(e.path(), alg.get()))) {
                        return true;
                    }
                }
            }
        } catch (IOException ex) {
            return false; // unproven: keep another copy rather than risk this one
        }
        return false;
    }

    /** Keeps at most maxConflictCopies of one file's conflict copies on a side: the oldest go (by name, which starts with the time). */
    private void pruneConflictCopies(SyncPath original, Map<String, Entry> listing, Side side) {
        Pattern p = ConflictNames.pattern(original.name());
        List<Entry> existing = new ArrayList<>();
        for (Entry e : listing.values()) {
            if (e.isFile() && p.matcher(e.path().name()).matches()) {
                existing.add(e);
            }
        }
        // One new copy is on its way; keep room for it.
        int excess = existing.size() + 1 - options.maxConflictCopies();
        if (excess <= 0) {
            return;
        }
        existing.sort(Comparator.comparing((Entry e) -> e.path().name(), ConflictNames.oldestFirst(original.name())));
        for (int i = 0; i < excess && i < existing.size(); i++) {
            fileDeletes.add(new SyncAction.DeleteFile(existing.get(i), side));
        }
    }

    /** The side whose version is newer; a tie goes to the larger file, then to the source. */
    static Side newer(Entry ea, Entry eb) {
        Instant ta = ea.modTime().orElse(Instant.EPOCH);
        Instant tb = eb.modTime().orElse(Instant.EPOCH);
        int c = ta.compareTo(tb);
        if (c == 0) {
            c = Long.compare(ea.size(), eb.size());
        }
        return c >= 0 ? Side.SOURCE : Side.DESTINATION;
    }

    /**
     * {@code name.sync-conflict-YYYYMMDD-HHMMSS-<id>.ext}, Syncthing's naming, made unique: a
     * name either side lists, or another conflict of this run took, gets a counter, so a second
     * conflict within the same second never overwrites the first one's copy.
     */
    private SyncPath conflictName(SyncPath path, String id, Map<String, Entry> la, Map<String, Entry> lb) {
        SyncPath dir = path.parent();
        String name = ConflictNames.name(path.name(), now, id, n -> {
            String k = lister.key(n);
            return la.containsKey(k) || lb.containsKey(k) || conflictNamesTaken.contains(dir.child(k));
        });
        conflictNamesTaken.add(dir.child(lister.key(name)));
        return dir.child(name);
    }

    /** Seven characters naming a side, stable across runs (Syncthing uses the device's short ID). */
    static String sideId(SyncTarget t) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(t.description().getBytes(StandardCharsets.UTF_8));
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            StringBuilder id = new StringBuilder();
            for (int i = 0; i < 7; i++) {
                id.append(alphabet.charAt((h[i] & 0xff) % 32));
            }
            return id.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Set<SyncPath> keptOn(Side side) {
        return side == Side.SOURCE ? keptOnA : keptOnB;
    }

    private void keep(SyncPath dir) {
        keepAncestors(keptOnA, dir);
        keepAncestors(keptOnB, dir);
    }

    private static void keepAncestors(Set<SyncPath> kept, SyncPath dir) {
        SyncPath p = dir;
        while (kept.add(p) && !p.isRoot()) {
            p = p.parent();
        }
    }

    private void forgetTree(SyncPath dir) {
        forget.add(dir);
        for (SyncPath p : state.tailMap(dir, false).keySet()) {
            if (!dir.contains(p)) {
                break;
            }
            forget.add(p);
        }
    }

    private Result assemble(boolean aEmpty, boolean bEmpty) {
        List<String> withheld = new ArrayList<>();
        boolean keepDeletesOnA = deletionsAllowed(Side.SOURCE, bEmpty, walk.errorsOn(Side.DESTINATION), filesOnA.get(), withheld);
        boolean keepDeletesOnB = deletionsAllowed(Side.DESTINATION, aEmpty, walk.errorsOn(Side.SOURCE), filesOnB.get(), withheld);
        List<SyncAction> deletes = new ArrayList<>();
        fileDeletes.stream()
                .filter(d -> d.side() == Side.SOURCE ? keepDeletesOnA : keepDeletesOnB)
                .forEach(deletes::add);
        Map<SyncPath, Entry> renames = detectRenames(deletes);
        List<SyncAction> actions = new ArrayList<>();
        Comparator<SyncAction> byPath = Comparator.comparing(SyncAction::path);
        moves.stream().sorted(byPath).forEach(actions::add);
        makeDirs.stream().sorted(byPath).forEach(actions::add);
        copies.stream().sorted(byPath).forEach(actions::add);
        deletes.stream().sorted(byPath).forEach(actions::add);
        dirDeletes.stream()
                .filter(d -> d.side() == Side.SOURCE ? keepDeletesOnA : keepDeletesOnB)
                .filter(d -> !keptOn(d.side()).contains(d.path()))
                .sorted(Comparator.comparingInt((SyncAction.DeleteDirectory d) -> d.path().depth()).reversed()
                        .thenComparing(SyncAction::path))
                .forEach(actions::add);
        long withheldFiles = fileDeletes.stream()
                .filter(d -> !(d.side() == Side.SOURCE ? keepDeletesOnA : keepDeletesOnB)).count();
        SyncPlan plan = new SyncPlan(SyncMode.TWO_WAY, a.description(), b.description(), actions, unchanged.get(),
                new ArrayList<>(failures), withheld.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", withheld)),
                withheldFiles);
        return new Result(plan, new ArrayList<>(remember), new ArrayList<>(forget), renames);
    }

    /**
     * A file deleted on one side at one path and new there at another is a rename when the new
     * file is proven to be the old one (see {@link Renames}): where the other side can move
     * files, the old file there is moved instead of copied again and deleted. The proof compares
     * the new file with the old file as it still is on the other side, by hash or content (or,
     * with {@link RenameEvidence#MODTIME}, the new file's size and time with what the state
     * remembers of the deleted one). Changes {@code moves}, {@code copies} and {@code deletes}
     * in place.
     */
    private Map<SyncPath, Entry> detectRenames(List<SyncAction> deletes) {
        Map<SyncPath, Entry> renames = new java.util.HashMap<>();
        for (Side side : Side.values()) {
            SyncTarget target = side == Side.SOURCE ? a : b;
            if (target.ability(dev.ferry.api.ServerSideMove.class).isEmpty()) {
                continue;
            }
            // Deleted on this side because gone on the other, and new on the other side.
            List<SyncAction.DeleteFile> gone = new ArrayList<>();
            for (SyncAction d : deletes) {
                if (d.side() == side && d.kind() == SyncAction.Kind.DELETE_FILE && state.containsKey(d.path())) {
                    gone.add((SyncAction.DeleteFile) d);
                }
            }
            if (gone.isEmpty()) {
                continue;
            }
            List<SyncAction.CopyFile> created = new ArrayList<>();
            for (SyncAction c : copies) {
                if (c.side() == side && c.kind() == SyncAction.Kind.COPY) {
                    SyncAction.CopyFile cf = (SyncAction.CopyFile) c;
                    if (cf.reason() == SyncAction.Reason.MISSING && cf.replaced().isEmpty()) {
                        created.add(cf);
                    }
                }
            }
            Renames.Proof proof = (newFile, oldFile) -> {
                if (options.renameEvidence() == RenameEvidence.MODTIME) {
                    StateRecord s = state.get(oldFile.path());
                    String was = fingerprint(side == Side.SOURCE ? s.b() : s.a());
                    return was != null && was.equals(fingerprint(StateRecord.Snapshot.of(newFile)));
                }
                // byContent compares an entry of A with one of B, in that order.
                return side == Side.DESTINATION ? byContent.provenEqual(newFile, oldFile)
                        : byContent.provenEqual(oldFile, newFile);
            };
            for (Renames.Match m : Renames.match(created, gone, proof, failures)) {
                copies.remove(m.created());
                deletes.remove(m.deleted());
                moves.add(new SyncAction.MoveFile(m.deleted().destination(), m.created().path(), side));
                renames.put(m.created().path(), m.created().source());
            }
        }
        return renames;
    }

    /** Size and exact time, for {@link RenameEvidence#MODTIME}; null without a time. */
    private static String fingerprint(StateRecord.Snapshot s) {
        return s.nanos() < 0 ? null : s.size() + "@" + s.seconds() + "." + s.nanos();
    }

    /**
     * Whether deletions on {@code side} may go ahead: they come from the other side's absences,
     * so that side must have listed fully and not be empty; and the delete limits hold.
     */
    private boolean deletionsAllowed(Side side, boolean otherEmpty, int otherErrors, long filesHere,
            List<String> withheld) {
        long n = fileDeletes.stream().filter(d -> d.side() == side).count();
        if (n == 0) {
            return true;
        }
        String here = side == Side.SOURCE ? "source" : "destination";
        String other = side == Side.SOURCE ? "destination" : "source";
        String why = null;
        if (otherErrors > 0) {
            why = "the " + other + " had " + otherErrors + " listing error(s); deleting nothing on the " + here;
        } else if (otherEmpty) {
            why = "the " + other + " is empty; refusing to delete " + n + " file(s) on the " + here;
        } else if (options.maxDelete() >= 0 && n > options.maxDelete()) {
            why = "would delete " + n + " file(s) on the " + here + ", more than the limit of " + options.maxDelete();
        } else if (options.maxDeletePercent() < 100 && n * 100 > options.maxDeletePercent() * filesHere) {
            why = "would delete " + n + " of " + filesHere + " file(s) on the " + here + ", more than "
                    + options.maxDeletePercent() + "%";
        }
        if (why != null) {
            withheld.add(why);
            return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return "TwoWayPlanner[" + Objects.toString(a.description()) + " <-> " + b.description() + "]";
    }
}
