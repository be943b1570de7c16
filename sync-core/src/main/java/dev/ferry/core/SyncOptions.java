package dev.ferry.core;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run behaves. Build with {@link #builder()}; every option has a sensible default.
 *
 * @param mode copy (default), mirror or two-way
 * @param compare how files are compared (default: size and modification time)
 * @param modifyWindow how far times may differ and still count as equal; empty means the coarser
 *     precision of the two targets
 * @param filter which files take part
 * @param transfers files copied at once (default 4)
 * @param checkers directories listed and files compared at once (default 8)
 * @param maxDelete most deletions a run may make, or -1 for no limit
 * @param maxDeletePercent most deletions as a percentage of the destination's files (100 = no
 *     limit)
 * @param verify whether to compare hashes after a transfer where the destination reports one
 *     without extra I/O (default true)
 * @param bandwidthLimit bytes per second across all transfers, 0 for unlimited
 * @param retry how transient failures are retried
 * @param createEmptyDirectories whether directories without files are created too (default true;
 *     with include rules, only directories that receive a file are created)
 * @param listener progress events
 * @param clock the time source for age filters and the report
 * @param conflictPolicy two-way: what to do with a file changed on both sides (default keep both)
 * @param maxConflictCopies two-way: most conflict copies kept per file; older ones are deleted
 *     (default 10)
 * @param stateDirectory where runs keep what they must remember: two-way state, the memory of
 *     one-way copies to targets that keep no times, the journal of resumable transfers; empty
 *     means {@code $XDG_STATE_HOME/ferry} (else {@code ~/.local/state/ferry})
 * @param resumableFrom files of at least this many bytes go through a target's resumable
 *     writes (where it has them) and are journaled, so a run killed half-way is continued by the
 *     next instead of started over (default 8 MiB; {@link Long#MAX_VALUE} turns it off)
 * @param protectChanges one-way: replace or create a destination file only while it is still as
 *     the scan saw it, checked by the target at the moment the new version is put in place (a
 *     user's edit during the transfer is kept and reported). Two-way runs always do this. Off by
 *     default for one-way runs: on FTP it costs a few round trips per replaced file
 * @param trackRenames one-way: a file that moved on the source is moved on the destination (a
 *     server-side move where the destination has one) instead of deleted and copied again
 *     (rclone's {@code --track-renames}); needs mirror mode
 * @param renameEvidence what proves a rename, in one-way tracking and in two-way runs
 * @param fastList list each side's whole tree in one go where the target can
 *     ({@link dev.ferry.api.RecursiveLister}: an object store's flat key listing, a request per
 *     1,000 keys instead of one per directory), as rclone's {@code --fast-list}: fewer requests,
 *     but the tree's listing is held in memory until the walk reaches each directory. Off by
 *     default
 * @param keepModes POSIX permission bits travel with copied files and created directories where
 *     both sides keep them ({@link dev.ferry.api.PosixModes}: local disk, S3 metadata, FTP with
 *     {@code SITE CHMOD}); elsewhere the receiving side's umask decides. A change of mode alone
 *     is not a change the comparison sees (as rclone). Off by default
 * @param appendGrown one-way: a file the destination holds a prefix of (it only grew, as a log
 *     does) gets only its new tail, through the destination's {@link dev.ferry.api.Appender},
 *     after the destination's last bytes were checked against the source's; a mismatch is copied
 *     whole. Off by default for files; feeds (a {@link dev.ferry.api.SourceAwareWriter}
 *     destination) always grow this way
 */
public record SyncOptions(
        SyncMode mode,
        CompareMode compare,
        Optional<Duration> modifyWindow,
        Filter filter,
        int transfers,
        int checkers,
        long maxDelete,
        int maxDeletePercent,
        boolean verify,
        long bandwidthLimit,
        RetryPolicy retry,
        boolean createEmptyDirectories,
        SyncListener listener,
        Clock clock,
        ConflictPolicy conflictPolicy,
        int maxConflictCopies,
        Optional<java.nio.file.Path> stateDirectory,
        long resumableFrom,
        boolean protectChanges,
        boolean trackRenames,
        RenameEvidence renameEvidence,
        boolean fastList,
        boolean keepModes,
        boolean appendGrown) {

    /** Validates. */
    public SyncOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(compare, "compare");
        Objects.requireNonNull(modifyWindow, "modifyWindow");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(conflictPolicy, "conflictPolicy");
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Objects.requireNonNull(renameEvidence, "renameEvidence");
        if (trackRenames && mode != SyncMode.MIRROR) {
            throw new IllegalArgumentException("tracking renames needs mirror mode (a copy never deletes the old path)");
        }
        if (mode == SyncMode.TWO_WAY && filter.shard().map(Shard::byKeyRange).orElse(false)) {
            throw new IllegalArgumentException("a two-way run shards by top-level name only (I/N without bounds): its"
                    + " state remembers deletions per shard, and key ranges move with the data");
        }
        if (maxConflictCopies < 1) {
            throw new IllegalArgumentException("maxConflictCopies must be at least 1");
        }
        if (transfers < 1 || checkers < 1) {
            throw new IllegalArgumentException("transfers and checkers must be at least 1");
        }
        if (maxDelete < -1) {
            throw new IllegalArgumentException("maxDelete must be -1 (no limit) or >= 0");
        }
        if (maxDeletePercent < 0 || maxDeletePercent > 100) {
            throw new IllegalArgumentException("maxDeletePercent must be within 0..100");
        }
        if (bandwidthLimit < 0) {
            throw new IllegalArgumentException("bandwidthLimit < 0");
        }
        if (resumableFrom < 0) {
            throw new IllegalArgumentException("resumableFrom < 0");
        }
        modifyWindow.ifPresent(w -> {
            if (w.isNegative()) {
                throw new IllegalArgumentException("modifyWindow < 0");
            }
        });
    }

    /** The defaults. */
    public static SyncOptions defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.mode = mode;
        b.compare = compare;
        b.modifyWindow = modifyWindow.orElse(null);
        b.filter = filter;
        b.transfers = transfers;
        b.checkers = checkers;
        b.maxDelete = maxDelete;
        b.maxDeletePercent = maxDeletePercent;
        b.verify = verify;
        b.bandwidthLimit = bandwidthLimit;
        b.retry = retry;
        b.createEmptyDirectories = createEmptyDirectories;
        b.listener = listener;
        b.clock = clock;
        b.conflictPolicy = conflictPolicy;
        b.maxConflictCopies = maxConflictCopies;
        b.stateDirectory = stateDirectory.orElse(null);
        b.resumableFrom = resumableFrom;
        b.protectChanges = protectChanges;
        b.trackRenames = trackRenames;
        b.renameEvidence = renameEvidence;
        b.fastList = fastList;
        b.keepModes = keepModes;
        b.appendGrown = appendGrown;
        return b;
    }

    /** Builds {@link SyncOptions}. */
    public static final class Builder {
        private SyncMode mode = SyncMode.COPY;
        private CompareMode compare = CompareMode.SIZE_AND_MODTIME;
        private Duration modifyWindow;
        private Filter filter = Filter.NONE;
        private int transfers = 4;
        private int checkers = 8;
        private long maxDelete = -1;
        private int maxDeletePercent = 100;
        private boolean verify = true;
        private boolean protectChanges;
        private boolean trackRenames;
        private RenameEvidence renameEvidence = RenameEvidence.HASH;
        private boolean fastList;
        private boolean keepModes;
        private boolean appendGrown;
        private long bandwidthLimit;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private boolean createEmptyDirectories = true;
        private SyncListener listener = SyncListener.NONE;
        private Clock clock = Clock.systemUTC();
        private ConflictPolicy conflictPolicy = ConflictPolicy.KEEP_BOTH;
        private int maxConflictCopies = 10;
        private java.nio.file.Path stateDirectory;
        private long resumableFrom = 8L << 20;

        private Builder() {}

        /** Copy or mirror. */
        public Builder mode(SyncMode mode) {
            this.mode = mode;
            return this;
        }

        /** How files are compared. */
        public Builder compare(CompareMode compare) {
            this.compare = compare;
            return this;
        }

        /** Tolerance for modification times; {@code null} for the targets' precision. */
        public Builder modifyWindow(Duration window) {
            this.modifyWindow = window;
            return this;
        }

        /** Which files take part. */
        public Builder filter(Filter filter) {
            this.filter = filter;
            return this;
        }

        /** Files copied at once. */
        public Builder transfers(int transfers) {
            this.transfers = transfers;
            return this;
        }

        /** Directories listed at once. */
        public Builder checkers(int checkers) {
            this.checkers = checkers;
            return this;
        }

        /** Most deletions per run; -1 for no limit. */
        public Builder maxDelete(long maxDelete) {
            this.maxDelete = maxDelete;
            return this;
        }

        /** Most deletions as a percentage of the destination's files. */
        public Builder maxDeletePercent(int percent) {
            this.maxDeletePercent = percent;
            return this;
        }

        /** Whether to check hashes after transfers. */
        public Builder verify(boolean verify) {
            this.verify = verify;
            return this;
        }

        /** Bytes per second across all transfers; 0 for unlimited. */
        public Builder bandwidthLimit(long bytesPerSecond) {
            this.bandwidthLimit = bytesPerSecond;
            return this;
        }

        /** Retry behaviour. */
        public Builder retry(RetryPolicy retry) {
            this.retry = retry;
            return this;
        }

        /** Whether directories without files are created too. */
        public Builder createEmptyDirectories(boolean create) {
            this.createEmptyDirectories = create;
            return this;
        }

        /** Progress events. */
        public Builder listener(SyncListener listener) {
            this.listener = listener;
            return this;
        }

        /** Time source. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Two-way: what to do with a file changed on both sides. */
        public Builder conflictPolicy(ConflictPolicy policy) {
            this.conflictPolicy = policy;
            return this;
        }

        /** Two-way: most conflict copies kept per file. */
        public Builder maxConflictCopies(int max) {
            this.maxConflictCopies = max;
            return this;
        }

        /** Where runs keep state and journals; {@code null} for the XDG state directory. */
        public Builder stateDirectory(java.nio.file.Path directory) {
            this.stateDirectory = directory;
            return this;
        }

        /** Size from which transfers are resumable across runs; {@link Long#MAX_VALUE} for never. */
        public Builder resumableFrom(long bytes) {
            this.resumableFrom = bytes;
            return this;
        }

        /** One-way: replace a destination file only while it is as the scan saw it. */
        public Builder protectChanges(boolean protect) {
            this.protectChanges = protect;
            return this;
        }

        /** One-way mirror: carry a source rename out as a move on the destination. */
        public Builder trackRenames(boolean track) {
            this.trackRenames = track;
            return this;
        }

        /** What proves a rename. */
        public Builder renameEvidence(RenameEvidence evidence) {
            this.renameEvidence = evidence;
            return this;
        }

        /** List whole trees in one go where a target can (more memory, fewer requests). */
        public Builder fastList(boolean fast) {
            this.fastList = fast;
            return this;
        }

        /** Carry POSIX permission bits with files and directories where both sides keep them. */
        public Builder keepModes(boolean keep) {
            this.keepModes = keep;
            return this;
        }

        /** One-way: send only the new tail of a file that only grew (see {@link SyncOptions#appendGrown()}). */
        public Builder appendGrown(boolean append) {
            this.appendGrown = append;
            return this;
        }

        /** The options. */
        public SyncOptions build() {
            return new SyncOptions(mode, compare, Optional.ofNullable(modifyWindow), filter, transfers, checkers,
                    maxDelete, maxDeletePercent, verify, bandwidthLimit, retry, createEmptyDirectories, listener,
                    clock, conflictPolicy, maxConflictCopies, Optional.ofNullable(stateDirectory), resumableFrom,
                    protectChanges, trackRenames, renameEvidence, fastList, keepModes, appendGrown);
        }
    }
}
