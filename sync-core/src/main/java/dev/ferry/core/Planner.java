package dev.ferry.core;

import dev.ferry.api.Entry;
import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plans a one-way run: walks both trees ({@link TreeWalk}) and decides, name by name, what the
 * destination needs: a copy, a time update, a deletion (mirror), a directory.
 */
final class Planner {

    private final SyncTarget source;
    private final SyncTarget destination;
    private final SyncOptions options;
    private final Filter filter;
    private final boolean mirror;
    private final boolean foldCase;
    private final Instant now;
    private final FileComparator comparator;
    private final Retrier retrier;
    private final CopyMemory memory;

    private final Queue<SyncAction> clashDeletes = new ConcurrentLinkedQueue<>();
    private final Queue<SyncAction.MakeDirectory> makeDirs = new ConcurrentLinkedQueue<>();
    private final Queue<SyncAction> copies = new ConcurrentLinkedQueue<>();
    private final Queue<SyncAction.DeleteFile> fileDeletes = new ConcurrentLinkedQueue<>();
    private final Queue<SyncAction.DeleteDirectory> dirDeletes = new ConcurrentLinkedQueue<>();
    private final Queue<SyncAction> replacingCopies = new ConcurrentLinkedQueue<>();
    private final Set<SyncPath> keptDirs = ConcurrentHashMap.newKeySet();
    private final Queue<SyncFailure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong destinationFiles = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final Lister lister;
    private final TreeWalk<Void> walk;

    Planner(SyncTarget source, SyncTarget destination, SyncOptions options, Retrier retrier) {
        this(source, destination, options, retrier, null);
    }

    /** @param memory what earlier runs copied, where times cannot tell (see {@link CopyMemory}); or null */
    Planner(SyncTarget source, SyncTarget destination, SyncOptions options, Retrier retrier, CopyMemory memory) {
        this.memory = memory;
        this.retrier = retrier;
        this.source = source;
        this.destination = destination;
        this.options = options;
        this.filter = options.filter();
        this.mirror = options.mode() == SyncMode.MIRROR;
        this.foldCase = !destination.capabilities().caseSensitive();
        this.now = Instant.now(options.clock());
        this.comparator = new FileComparator(source, destination, options);
        this.lister = new Lister(options, retrier, foldCase, failures);
        this.walk = new TreeWalk<>(source, destination, lister, failures, true);
    }

    SyncPlan plan() throws IOException {
        checkNotNested(source.description(), destination.description());
        Lister.Listing sourceRoot;
        try {
            sourceRoot = lister.list(source, SyncPath.ROOT, "source");
        } catch (NotFoundException e) {
            throw new NotFoundException("the source does not exist: " + source.description(), e);
        }
        if (sourceRoot == null) {
            throw new IOException("cannot list the source " + source.description() + ": " + failures.peek().message());
        }
        Lister.Listing destinationRoot;
        try {
            destinationRoot = lister.list(destination, SyncPath.ROOT, "destination");
        } catch (NotFoundException e) {
            destinationRoot = Lister.Listing.EMPTY;
            makeDirs.add(new SyncAction.MakeDirectory(SyncPath.ROOT));
        }
        if (destinationRoot == null) {
            throw new IOException("cannot list the destination " + destination.description() + ": "
                    + failures.peek().message());
        }
        walk.run(options.checkers(), sourceRoot, destinationRoot, new TreeWalk.Decider<Void>() {
            @Override
            public void decide(SyncPath dir, Entry s, Entry d, Void remembered, Lister.Listing ls, Lister.Listing ld)
                    throws IOException {
                if (s != null && d != null) {
                    both(dir, s, d);
                } else if (s != null) {
                    sourceOnly(s);
                } else if (ls.namesMissing()) {
                    // The source could not spell some names here: this may be one of them, so
                    // its absence is not a reason to delete it.
                    keepWithAncestors(dir);
                } else {
                    destinationOnly(dir, d);
                }
            }

            @Override
            public void unlisted(SyncPath dir, SyncAction.Side side) {
                keepWithAncestors(dir);
            }
        });
        return assemble(sourceRoot.entries().isEmpty());
    }

    private void both(SyncPath dir, Entry s, Entry d) throws IOException {
        if (s.isFile() && d.isFile()) {
            if (!filter.includesFile(s, now)) {
                keepWithAncestors(dir);
                return;
            }
            destinationFiles.incrementAndGet();
            Entry target = s;
            if (memory != null && memory.inStep(s, d)) {
                // As the last copy or comparison left both sides: no stat, no hash.
                unchanged.incrementAndGet();
                return;
            }
            FileComparator.Verdict v;
            try {
                v = comparator.compare(s, d);
            } catch (IOException e) {
                failures.add(new SyncFailure(s.path().toString(), SyncFailure.Stage.COMPARE, Errors.describe(e),
                        Errors.isTransient(e)));
                return;
            }
            if (memory != null && v == FileComparator.Verdict.EQUAL) {
                // Where times judge files the memory only spares stats; else it is what tells an
                // edit that kept the size.
                if (!comparator.timesUsable() && memory.remembers(s.path())) {
                    // Equal by size, but a side moved on from what was copied: only the memory sees it.
                    copies.add(new SyncAction.CopyFile(target, Optional.of(d), SyncAction.Reason.CHANGED));
                    return;
                }
                memory.remember(s, d);
            } else if (memory != null) {
                memory.copying(s.path());
            }
            switch (v) {
                case EQUAL -> unchanged.incrementAndGet();
                case TOUCH -> copies.add(new SyncAction.UpdateModTime(target, d));
                case COPY_SIZE -> copies.add(Appends.grown(destination, options, target, d)
                        .orElseGet(() -> new SyncAction.CopyFile(target, Optional.of(d), SyncAction.Reason.SIZE_DIFFERS)));
                case COPY_MODTIME -> copies.add(
                        new SyncAction.CopyFile(target, Optional.of(d), SyncAction.Reason.MODTIME_DIFFERS));
                case COPY_HASH -> copies.add(new SyncAction.CopyFile(target, Optional.of(d), SyncAction.Reason.HASH_DIFFERS));
            }
        } else if (s.isDirectory() && d.isDirectory()) {
            if (filter.includesDirectory(s.path())) {
                walk.descend(d.path(), true, true);
            } else {
                keepWithAncestors(dir);
            }
        } else if (s.isFile()) {
            // The destination has a directory where the source has a file.
            if (!filter.includesFile(s, now)) {
                keepWithAncestors(dir);
                return;
            }
            if (!mirror || !filter.includesDirectory(d.path())) {
                failures.add(new SyncFailure(s.path().toString(), SyncFailure.Stage.COPY,
                        "a directory stands where the source has a file (only sync/mirror replaces it)", false));
                keepWithAncestors(dir);
                return;
            }
            destinationOnly(dir, d);
            replacingCopies.add(new SyncAction.CopyFile(s, Optional.of(d),
                    SyncAction.Reason.REPLACES_DIRECTORY));
        } else {
            // The destination has a file where the source has a directory.
            if (!filter.includesDirectory(s.path())) {
                keepWithAncestors(dir);
                return;
            }
            if (!mirror || !filter.includesFile(d, now)) {
                failures.add(new SyncFailure(s.path().toString(), SyncFailure.Stage.MAKE_DIRECTORY,
                        "a file stands where the source has a directory (only sync/mirror replaces it)", false));
                keepWithAncestors(dir);
                return;
            }
            destinationFiles.incrementAndGet();
            clashDeletes.add(new SyncAction.DeleteFile(d));
            sourceOnly(s);
        }
    }

    private void sourceOnly(Entry s) {
        if (s.isFile()) {
            if (filter.includesFile(s, now)) {
                copies.add(new SyncAction.CopyFile(s, Optional.empty(), SyncAction.Reason.MISSING));
            }
        } else if (filter.includesDirectory(s.path())) {
            // With include rules or size/age bounds a directory is made only by the files that
            // go into it, so a filter never leaves empty directories behind.
            if (options.createEmptyDirectories() && !filter.hasIncludeRules() && !filter.hasSizeOrAgeBounds()) {
                makeDirs.add(new SyncAction.MakeDirectory(s.path(), SyncAction.Side.DESTINATION, s.mode()));
            }
            walk.descend(s.path(), true, false);
        }
    }

    private void destinationOnly(SyncPath dir, Entry d) {
        if (d.isFile()) {
            if (!filter.includesFile(d, now)) {
                keepWithAncestors(dir);
                return;
            }
            destinationFiles.incrementAndGet();
            if (mirror) {
                fileDeletes.add(new SyncAction.DeleteFile(d));
            } else {
                keepWithAncestors(dir);
            }
        } else if (mirror && filter.includesDirectory(d.path())) {
            dirDeletes.add(new SyncAction.DeleteDirectory(d.path()));
            walk.descend(d.path(), false, true);
        } else {
            keepWithAncestors(dir);
        }
    }

    private void keepWithAncestors(SyncPath dir) {
        SyncPath p = dir;
        while (keptDirs.add(p) && !p.isRoot()) {
            p = p.parent();
        }
    }

    private SyncPlan assemble(boolean sourceEmpty) {
        List<SyncAction> actions = new ArrayList<>();
        long deletions = clashDeletes.size() + fileDeletes.size();
        String withheld = null;
        if (mirror && deletions > 0) {
            long dstFiles = destinationFiles.get();
            int sourceErrors = walk.errorsOn(SyncAction.Side.SOURCE);
            if (sourceErrors > 0) {
                withheld = "the source had " + sourceErrors + " listing error(s); deleting nothing, so an"
                        + " unreadable directory is not taken for a deleted one";
            } else if (sourceEmpty) {
                withheld = "the source is empty; refusing to delete all " + dstFiles
                        + " file(s) on the destination";
            } else if (options.maxDelete() >= 0 && deletions > options.maxDelete()) {
                withheld = "would delete " + deletions + " file(s), more than the limit of " + options.maxDelete();
            } else if (options.maxDeletePercent() < 100 && deletions * 100 > options.maxDeletePercent() * dstFiles) {
                withheld = "would delete " + deletions + " of " + dstFiles + " file(s), more than "
                        + options.maxDeletePercent() + "%";
            }
        }
        Comparator<SyncAction> byPath = Comparator.comparing(SyncAction::path);
        if (withheld == null) {
            clashDeletes.stream().sorted(byPath).forEach(actions::add);
        }
        makeDirs.stream().sorted(byPath).forEach(actions::add);
        if (withheld == null) {
            trackRenames().stream().sorted(byPath).forEach(actions::add);
        }
        copies.stream().sorted(byPath).forEach(actions::add);
        if (withheld == null) {
            fileDeletes.stream().sorted(byPath).forEach(actions::add);
            dirDeletes.stream()
                    .filter(a -> !keptDirs.contains(a.path()))
                    .sorted(Comparator.comparingInt((SyncAction.DeleteDirectory a) -> a.path().depth()).reversed()
                            .thenComparing(SyncAction::path))
                    .forEach(actions::add);
            replacingCopies.stream().sorted(byPath).forEach(actions::add);
        }
        options.listener().scanProgress(lister.seen());
        return new SyncPlan(options.mode(), source.description(), destination.description(), actions,
                unchanged.get(), new ArrayList<>(failures), Optional.ofNullable(withheld),
                withheld == null ? 0 : deletions);
    }

    /**
     * With {@link SyncOptions#trackRenames()}: a file new on the source whose content is proven
     * to be a file the mirror would delete on the destination becomes a move of that file there
     * (server-side, where the destination has it), instead of a delete and a fresh copy. Takes the
     * pairs out of {@code copies} and {@code fileDeletes}.
     */
    private List<SyncAction.MoveFile> trackRenames() {
        if (!options.trackRenames() || destination.ability(dev.ferry.api.ServerSideMove.class).isEmpty()
                || fileDeletes.isEmpty()) {
            return List.of();
        }
        List<SyncAction.CopyFile> created = new ArrayList<>();
        for (SyncAction c : copies) {
            if (c.kind() == SyncAction.Kind.COPY && ((SyncAction.CopyFile) c).reason() == SyncAction.Reason.MISSING) {
                created.add((SyncAction.CopyFile) c);
            }
        }
        Renames.Proof proof = options.renameEvidence() == RenameEvidence.MODTIME
                ? (newFile, oldFile) -> comparator.compare(newFile, oldFile) == FileComparator.Verdict.EQUAL
                : comparator::provenEqual;
        List<SyncAction.MoveFile> moves = new ArrayList<>();
        for (Renames.Match m : Renames.match(created, new ArrayList<>(fileDeletes), proof, failures)) {
            copies.remove(m.created());
            fileDeletes.remove(m.deleted());
            moves.add(new SyncAction.MoveFile(m.deleted().destination(), m.created().path(), SyncAction.Side.DESTINATION));
        }
        return moves;
    }

    /**
     * Refuses a destination inside the source (the scan would chase its own copies) and a source
     * inside the destination (a mirror would delete the source).
     */
    static void checkNotNested(String sourceLocation, String destinationLocation) throws InvalidTargetException {
        Optional<URI> a = asUri(sourceLocation);
        Optional<URI> b = asUri(destinationLocation);
        if (a.isEmpty() || b.isEmpty()) {
            return;
        }
        URI s = a.get();
        URI d = b.get();
        if (!eq(s.getScheme(), d.getScheme()) || !eq(s.getAuthority(), d.getAuthority())) {
            return;
        }
        String sp = slashed(s.getPath());
        String dp = slashed(d.getPath());
        if (sp.equals(dp)) {
            throw new InvalidTargetException("source and destination are the same: " + sourceLocation);
        }
        if (dp.startsWith(sp)) {
            throw new InvalidTargetException("the destination " + destinationLocation + " lies inside the source "
                    + sourceLocation);
        }
        if (sp.startsWith(dp)) {
            throw new InvalidTargetException("the source " + sourceLocation + " lies inside the destination "
                    + destinationLocation + " (a mirror would delete it)");
        }
    }

    private static Optional<URI> asUri(String location) {
        try {
            URI u = location.startsWith("/") ? java.nio.file.Path.of(location).toUri() : new URI(location);
            return u.getScheme() == null || u.getPath() == null ? Optional.empty() : Optional.of(u.normalize());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static boolean eq(String x, String y) {
        return x == null ? y == null : x.equalsIgnoreCase(y);
    }

    private static String slashed(String path) {
        return path.endsWith("/") ? path : path + "/";
    }
}
