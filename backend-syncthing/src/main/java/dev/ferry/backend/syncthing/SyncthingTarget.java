package dev.ferry.backend.syncthing;

import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.ListingSink;
import dev.ferry.api.ModTimeSetter;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.TransientSyncException;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Syncthing folder as a sync target: Ferry reads and writes the folder's files where the node
 * (running on this machine) keeps them, then asks the node to scan exactly the paths it changed,
 * so peers get them without waiting for the watcher or the hourly rescan. With
 * {@code waitForPeers}, {@link #close()} (the end of a run) returns only when every peer sharing
 * the folder has everything, or fails naming each peer that has not.
 *
 * <p>Syncthing's conflict copies ({@code name.sync-conflict-...}) are listed like any file, and
 * counted ({@link #conflictCopies()}). Changed paths are scanned every 250 ms while a run goes
 * on, so peers fetch while Ferry still writes. Syncthing's own files ({@code .stfolder},
 * {@code .stignore}, {@code .stversions}, {@code .syncthing.*.tmp}) are never listed nor touched.
 * Thread-safe.
 *
 * <p>A run killed between writing a file and the scan that follows leaves a file the node does not
 * know (with the watcher off, until its next full rescan, by default an hour): the next run finds
 * the file already right and does not write it again, and may change nothing on this side at all.
 * So {@link #close()} also asks for one scan of the whole target (the node walks it and re-hashes
 * only what changed since its last scan).
 */
public final class SyncthingTarget implements SyncTarget, ModTimeSetter {

    private static final Logger LOG = LoggerFactory.getLogger(SyncthingTarget.class);
    /** Times are kept to the microsecond (what the JDK sets on Linux; Syncthing keeps nanoseconds). */
    static final Duration PRECISION = Duration.ofNanos(1000);
    private static final int SUBS_PER_SCAN = 100;
    /** Attempts of the scan at close (see {@link #flushPatiently()}). */
    /** How long close() keeps retrying its last flush and scan through a flaky connection (a fixed count was used up in a second). */
    private static final Duration CLOSE_FLUSH_PATIENCE = Duration.ofSeconds(10);
    /**
     * How often changes are scanned while a run goes on: peers start fetching while Ferry still
     * writes, instead of after the last file.
     */
    private static final Duration SCAN_EVERY = Duration.ofMillis(250);

    private final SyncthingNode node;
    private final String folderId;
    private final SyncPath base;
    private final FolderFiles files;
    private final String description;
    private final boolean waitForPeers;
    private final Duration peerTimeout;
    private final Set<String> changed = new ConcurrentSkipListSet<>();
    private volatile PeerReport lastPeerReport;
    private ScheduledExecutorService scanner;

    private SyncthingTarget(SyncthingNode node, String folderId, SyncPath base, Path root, String description,
            boolean waitForPeers, Duration peerTimeout, boolean fsync) {
        this.node = node;
        this.folderId = folderId;
        this.base = base;
        this.files = new FolderFiles(root, fsync);
        this.description = description;
        this.waitForPeers = waitForPeers;
        this.peerTimeout = peerTimeout;
    }

    /**
     * Opens folder {@code folderId} of {@code node} (optionally only the part under {@code base}).
     * Asks the node for the folder's path, which must be a directory on this machine.
     *
     * @param waitForPeers whether {@link #close()} waits for the peers
     * @param peerTimeout how long it waits
     * @throws InvalidTargetException if the node has no such folder, or its path is not here
     */
    public static SyncthingTarget open(SyncthingNode node, String folderId, SyncPath base, boolean waitForPeers,
            Duration peerTimeout) throws IOException {
        return open(node, folderId, base, waitForPeers, peerTimeout, false);
    }

    /**
     * As {@link #open(SyncthingNode, String, SyncPath, boolean, Duration)}, with {@code fsync}:
     * whether each write is forced to the device before it is published.
     */
    public static SyncthingTarget open(SyncthingNode node, String folderId, SyncPath base, boolean waitForPeers,
            Duration peerTimeout, boolean fsync) throws IOException {
        FolderConfig folder;
        try {
            FolderConfig.checkId(folderId);
            folder = node.requireFolder(folderId);
        } catch (IllegalArgumentException | dev.ferry.api.NotFoundException e) {
            throw new InvalidTargetException(e.getMessage(), e);
        }
        if (folder.type() == FolderType.RECEIVE_ENCRYPTED) {
            throw new InvalidTargetException("folder '" + folderId + "' holds encrypted data of other devices; "
                    + "its files are not readable or writable as plain files");
        }
        Path root = folder.path();
        if (!Files.isDirectory(root)) {
            throw new InvalidTargetException("folder '" + folderId + "' is at " + root + " on the node, which is not a "
                    + "directory on this machine (does the node run here?)");
        }
        FolderFiles check = new FolderFiles(root, false);
        Path resolved = check.resolve(base);
        String description = node.gui().toString().replaceFirst("^http", "syncthing") + folderId
                + (base.isRoot() ? "" : "/" + base);
        return new SyncthingTarget(node, folderId, base, resolved, description, waitForPeers, peerTimeout, fsync);
    }

    /** The node's admin API. */
    public SyncthingNode node() {
        return node;
    }

    /** The folder ID. */
    public String folderId() {
        return folderId;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().keepsModTime(true).modTimePrecision(PRECISION).caseSensitive(true)
                .maxNameLength(255).conditionalWrites(false).build();
    }

    @Override
    public void list(SyncPath directory, ListingSink sink) throws IOException {
        files.list(directory, sink);
    }

    @Override
    public Optional<Entry> stat(SyncPath path) throws IOException {
        return files.stat(path);
    }

    @Override
    public InputStream open(SyncPath path, long offset) throws IOException {
        return files.open(path, offset);
    }

    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        Entry e = files.write(path, content, hints);
        changed(path);
        return e;
    }

    @Override
    public void delete(SyncPath path) throws IOException {
        files.delete(path);
        changed(path);
    }

    @Override
    public void makeDirectories(SyncPath directory) throws IOException {
        files.makeDirectories(directory);
        if (!directory.isRoot()) {
            changed(directory);
        }
    }

    @Override
    public Entry setModTime(SyncPath path, Instant modTime) throws IOException {
        Entry e = files.setModTime(path, modTime);
        changed(path);
        return e;
    }

    private void changed(SyncPath path) {
        changed.add(base.resolve(path).toString());
        startScanner();
    }

    private synchronized void startScanner() {
        if (scanner == null) {
            scanner = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "syncthing-scan-" + folderId);
                t.setDaemon(true);
                return t;
            });
            scanner.scheduleWithFixedDelay(this::flushInBackground, SCAN_EVERY.toMillis(), SCAN_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void flushInBackground() {
        try {
            flush();
        } catch (IOException e) {
            // The paths stay pending: close() scans them again and reports a failure that persists.
            LOG.debug("{}: background scan failed: {}", description, e.toString());
        }
    }

    /** The conflict copies the listings of this target saw (Syncthing's {@code .sync-conflict-} files). */
    public Set<SyncPath> conflictCopies() {
        return files.conflictCopies();
    }

    /** What the last wait for peers found, if there was one. */
    public Optional<PeerReport> lastPeerReport() {
        return Optional.ofNullable(lastPeerReport);
    }

    /**
     * Asks the node to scan the paths changed through this target since the last flush (and
     * only those); returns when the node's index holds them.
     */
    public void flush() throws IOException {
        synchronized (changed) {
            flushChanged();
        }
    }

    private void flushChanged() throws IOException {
        long t0 = System.nanoTime();
        int count = changed.size();
        List<String> batch = new ArrayList<>();
        for (String p : changed) {
            batch.add(p);
            if (batch.size() == SUBS_PER_SCAN) {
                scan(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            scan(batch);
        }
        if (count > 0) {
            LOG.debug("{}: scanned {} changed paths in {} ms", description, count, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private void scan(List<String> paths) throws IOException {
        node.scan(folderId, paths);
        changed.removeAll(paths);
    }

    /** {@link #flush()}, then waits up to {@code timeout} for every peer sharing the folder. */
    public PeerReport awaitPeers(Duration timeout) throws IOException {
        flush();
        PeerReport report = node.awaitPeers(folderId, timeout);
        LOG.debug("{}: peers after {} ms: {}", description, report.waited().toMillis(), report.describe());
        lastPeerReport = report;
        return report;
    }

    /**
     * Scans what changed; with {@code waitForPeers}, waits for the peers.
     *
     * @throws PeersIncompleteException if a peer did not get everything in time (the files are
     *     written and scanned all the same: it is the spreading that is late)
     */
    @Override
    public void close() throws IOException {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scanner;
            scanner = null;
        }
        if (s != null) {
            s.shutdown();
            try {
                s.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flushPatiently();
        int conflicts = files.conflictCopies().size();
        if (conflicts > 0) {
            LOG.info("{}: {} Syncthing conflict copies listed", description, conflicts);
        }
        if (waitForPeers) {
            PeerReport report = awaitPeers(peerTimeout);
            if (!report.complete()) {
                throw new PeersIncompleteException(report, peerTimeout);
            }
            LOG.info("{}: every peer has everything ({})", description, report.describe());
        }
    }

    /**
     * The last flush and the scan of the whole target, at close: nothing retries them but this (the engine's retries end with the
     * run's actions), so a lost connection to the node is tried again, with a growing wait, for
     * up to {@link #CLOSE_FLUSH_PATIENCE} before the run is failed for it. The changed paths stay pending until a scan succeeds.
     */
    private void flushPatiently() throws IOException {
        long deadline = System.nanoTime() + CLOSE_FLUSH_PATIENCE.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                flush();
                // Also what a killed earlier run wrote and never got scanned (see the class comment).
                if (base.isRoot()) {
                    node.scan(folderId);
                } else {
                    node.scan(folderId, List.of(base.toString()));
                }
                return;
            } catch (TransientSyncException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                LOG.debug("{}: scan at close failed (attempt {}): {}", description, attempt, e.getMessage());
                try {
                    Thread.sleep(Math.min(2_000L, 100L * attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Peers did not get everything within the timeout; {@link #report()} says how far each got. */
    public static final class PeersIncompleteException extends TransientSyncException {
        private static final long serialVersionUID = 1L;
        private final transient PeerReport report;

        PeersIncompleteException(PeerReport report, Duration timeout) {
            super("folder '" + report.folderId() + "': not every peer had everything after " + timeout.toSeconds() + " s: "
                    + report.describe());
            this.report = report;
        }

        /** Each peer's progress. */
        public PeerReport report() {
            return report;
        }
    }
}
