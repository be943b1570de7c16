package dev.ferry.backend.local;

import dev.ferry.api.Appender;
import dev.ferry.api.Capabilities;
import dev.ferry.api.ConditionalDeleter;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.Hasher;
import dev.ferry.api.ListingSink;
import dev.ferry.api.ModTimeSetter;
import dev.ferry.api.PosixModes;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.ServerSideCopy;
import dev.ferry.api.ServerSideMove;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.backend.support.Probed;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A directory on a local file system, through {@code java.nio.file}.
 *
 * <p>Writes go to a temporary file next to the destination ({@code .ferry-<random>.<name>.partial})
 * and are renamed into place atomically, so a reader sees the old content or the new, never a
 * part. A write with a {@linkplain WriteHints.Precondition precondition} checks it at that last
 * step: it takes the current file aside, compares it, and puts the new file in only on a match,
 * without replacing a file that appeared meanwhile; otherwise the user's file is kept. Temporary
 * files are never listed; ones left behind by a crash are deleted by a later listing of their
 * directory once untouched for {@link LocalTargetOptions#tempMaxAge()}.
 *
 * <p>Everything stays under the root: before a path is used, every existing component between
 * the root and it is checked, and a symbolic link there is refused unless
 * {@link LocalTargetOptions#followSymlinks()} is on and the link's real path lies inside the
 * root's. A link planted as {@code evil -> /etc} therefore cannot turn a write of
 * {@code evil/passwd} into a write outside the root. (This is a check before the operation, not a
 * lock: it guards against what a listing or a sync can plant, not against a local process racing
 * to swap directories for links at the same moment.)
 *
 * <p>Listings carry size and modification time; hashes are computed on request through
 * {@link Hasher}. A name this process cannot represent (not valid in its file-name encoding) is
 * left out with an {@code UNREPRESENTABLE_NAME} notice. Thread-safe.
 */
public final class LocalTarget
        implements SyncTarget, ServerSideCopy, ServerSideMove, ConditionalDeleter, Appender, ModTimeSetter, Hasher,
        ResumableWriter, PosixModes {

    private final Path root;
    private final LocalTargetOptions options;
    private final Probed<Capabilities> capabilities = new Probed<>(this::measureCapabilities);
    private final LocalFiles fs;
    private final LocalReads reads;
    private final LocalWrites writes;
    private final LocalCopies copies;
    private final LocalEdits edits;

    /** A target at {@code root} with default options. */
    public LocalTarget(Path root) {
        this(root, LocalTargetOptions.DEFAULTS);
    }

    /** A target at {@code root}, which need not exist yet (writes create it). */
    public LocalTarget(Path root, LocalTargetOptions options) {
        this.root = root.toAbsolutePath().normalize();
        this.options = Objects.requireNonNull(options, "options");
        this.fs = new LocalFiles(this.root, options, () -> capabilities().modTimePrecision());
        this.reads = new LocalReads(fs);
        this.writes = new LocalWrites(fs);
        this.copies = new LocalCopies(fs);
        this.edits = new LocalEdits(fs);
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    /** The options this target was opened with. */
    public LocalTargetOptions options() {
        return options;
    }

    @Override
    public String description() {
        return root.toUri().toString();
    }

    @Override
    public String toString() {
        return description();
    }

    /**
     * Keeps modification times to the precision measured once by a probe file in the root
     * (guessed from the file system type while the root is missing or read-only); all four hashes
     * on request.
     */
    @Override
    public Capabilities capabilities() {
        return capabilities.get();
    }

    private Probed.Outcome<Capabilities> measureCapabilities() {
        Optional<FsProbe.Traits> measured = FsProbe.probe(root);
        FsProbe.Traits traits = measured.orElseGet(() -> FsProbe.guess(root));
        Capabilities result = Capabilities.builder()
                .keepsModTime(traits.keepsModTime())
                .modTimePrecision(traits.precision())
                .hashes(LocalReads.HASHES)
                .caseSensitive(traits.caseSensitive())
                .maxNameLength(TemporaryNames.MAX_NAME_BYTES)
                .build();
        // A guess made while the root is missing is not kept: once a write creates the root,
        // the next call measures.
        return measured.isPresent() || Files.isDirectory(root) ? Probed.Outcome.measured(result)
                : Probed.Outcome.guessed(result);
    }

    /**
     * Streams the directory's children. Leaves out, with a notice: names this process cannot
     * represent, names that are not safe {@link SyncPath} segments, symbolic links not followed,
     * special files, entries whose attributes cannot be read. Leaves out silently: temporary
     * files (and deletes stale ones).
     */
    @Override
    public void list(SyncPath directory, ListingSink sink) throws IOException {
        LocalListing.list(fs, writes.publisher(), directory, sink);
    }

    @Override
    public Optional<Entry> stat(SyncPath path) throws IOException {
        return reads.stat(path);
    }

    /** Opens for reading at {@code offset}; an offset at or past the end gives an empty stream. */
    @Override
    public InputStream open(SyncPath path, long offset) throws IOException {
        return reads.open(path, offset);
    }

    /** Reads the whole file through the digest; never from a cache, so a result is always current. */
    @Override
    public Optional<String> hash(SyncPath path, HashAlgorithm algorithm) throws IOException {
        return reads.hash(path, algorithm);
    }

    /** A write is a resumable write that runs to its end in one go. */
    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        return writes.write(path, content, hints);
    }

    /** Starts a write into a temporary file beside the final one; the token names that file. */
    @Override
    public PartialWrite begin(SyncPath path, WriteHints hints) throws IOException {
        return writes.begin(path, hints);
    }

    /** Continues a write whose temporary file is still there (it is swept after {@code tempMaxAge}). */
    @Override
    public Optional<PartialWrite> resume(String token, WriteHints hints) throws IOException {
        return writes.resume(token, hints);
    }

    /** Deletes a file or an empty directory; what is absent counts as deleted. */
    @Override
    public void delete(SyncPath path) throws IOException {
        edits.delete(path);
    }

    /**
     * Deletes a file only if it is still the listed version: taken aside, compared, dropped (see
     * {@link LocalPublisher#deleteIf}); an edit saved meanwhile stays.
     */
    @Override
    public void deleteIf(SyncPath path, WriteHints.Precondition precondition) throws IOException {
        writes.deleteIf(path, precondition);
    }

    @Override
    public void makeDirectories(SyncPath directory) throws IOException {
        edits.makeDirectories(directory);
    }

    /** Copies through a temporary file and a rename, keeping the source's modification time. */
    @Override
    public Entry copy(SyncPath from, SyncPath to) throws IOException {
        return copies.copy(from, to);
    }

    /** Renames a file or directory (the final name itself, never what a link there points to). */
    @Override
    public Entry move(SyncPath from, SyncPath to) throws IOException {
        return copies.move(from, to);
    }

    /**
     * Appends after checking the size. Not atomic like {@link #write}: if the content fails
     * half-way the file is cut back to {@code expectedSize}, so a retry finds it as before.
     */
    @Override
    public Entry append(SyncPath path, long expectedSize, InputStream content) throws IOException {
        return edits.append(path, expectedSize, content);
    }

    @Override
    public Entry setModTime(SyncPath path, Instant modTime) throws IOException {
        return edits.setModTime(path, modTime);
    }

    @Override
    public <T> Optional<T> ability(Class<T> type) {
        if (type == PosixModes.class && !LocalFiles.keepsModes()) {
            return Optional.empty(); // a file system without POSIX permissions (Windows)
        }
        return SyncTarget.super.ability(type);
    }

    @Override
    public boolean listsModes() {
        return true;
    }

    @Override
    public boolean keepsDirectoryModes() {
        return true;
    }

    @Override
    public void setDirectoryMode(SyncPath directory, int mode) throws IOException {
        edits.setDirectoryMode(directory, mode);
    }

    @Override
    public void close() {
        // Nothing is held open between calls.
    }
}
