package dev.ferry.backend.local;

import dev.ferry.api.Appender;
import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.Hasher;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.ModTimeSetter;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PermissionDeniedException;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.ServerSideCopy;
import dev.ferry.api.ServerSideMove;
import dev.ferry.backend.support.Probed;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.backend.support.TemporaryNames;
import dev.ferry.api.WriteHints;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A directory on a local file system, through {@code java.nio.file}.
 *
 * <p>Writes go to a temporary file next to the destination ({@code .ferry-<random>.<name>.partial})
 * and are renamed into place atomically, so a reader sees the old content or the new, never a
 * part. Temporary files are never listed; ones left behind by a crash are deleted by a later
 * listing of their directory once untouched for {@link LocalTargetOptions#tempMaxAge()}.
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
 * {@link Hasher}. Thread-safe.
 */
public final class LocalTarget
        implements SyncTarget, ServerSideCopy, ServerSideMove, Appender, ModTimeSetter, Hasher, ResumableWriter {

    /** Copy buffer: large enough for few system calls, small enough to keep memory bounded. */
    static final int BUFFER_SIZE = 64 * 1024;

    private static final Set<HashAlgorithm> HASHES =
            EnumSet.of(HashAlgorithm.MD5, HashAlgorithm.SHA1, HashAlgorithm.SHA256, HashAlgorithm.CRC32);
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final LinkOption[] FOLLOW = {};

    private final Path root;
    private final LocalTargetOptions options;
    private final Probed<Capabilities> capabilities = new Probed<>(this::measureCapabilities);
    private volatile Path rootRealPath;

    /** A target at {@code root} with default options. */
    public LocalTarget(Path root) {
        this(root, LocalTargetOptions.DEFAULTS);
    }

    /** A target at {@code root}, which need not exist yet (writes create it). */
    public LocalTarget(Path root, LocalTargetOptions options) {
        this.root = root.toAbsolutePath().normalize();
        this.options = Objects.requireNonNull(options, "options");
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
                .hashes(HASHES)
                .caseSensitive(traits.caseSensitive())
                .maxNameLength(TemporaryNames.MAX_NAME_BYTES)
                .build();
        // A guess made while the root is missing is not kept: once a write creates the root,
        // the next call measures.
        return measured.isPresent() || Files.isDirectory(root) ? Probed.Outcome.measured(result)
                : Probed.Outcome.guessed(result);
    }

    // ---------------------------------------------------------------- listing and reading

    /**
     * Streams the directory's children. Leaves out, with a notice: names that are not safe
     * {@link SyncPath} segments or not decodable in the platform charset, symbolic links not
     * followed, special files, entries whose attributes cannot be read. Leaves out silently:
     * temporary files (and deletes stale ones).
     */
    @Override
    public void list(SyncPath directory, ListingSink sink) throws IOException {
        Path dir = resolve(directory, true, "list");
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(dir, BasicFileAttributes.class);
        } catch (IOException e) {
            throw Errors.map(e, "list", directory, root);
        }
        if (!attrs.isDirectory()) {
            throw new NotFoundException("cannot list " + Errors.where(directory, root) + ": not a directory");
        }
        Duration precision = capabilities().modTimePrecision();
        Listing listing = new Listing(directory, sink, precision, Instant.now().minus(options.tempMaxAge()));
        DirectoryStream<Path> stream;
        try {
            stream = Files.newDirectoryStream(dir);
        } catch (IOException e) {
            throw Errors.map(e, "list", directory, root);
        }
        try (stream) {
            Iterator<Path> it = stream.iterator();
            while (true) {
                Path child;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    child = it.next();
                } catch (DirectoryIteratorException e) {
                    throw Errors.map(e.getCause(), "list", directory, root);
                }
                // The sink's own IOExceptions pass through unchanged: they are the caller's.
                listing.emit(child);
            }
        }
    }

    /** One listing's state, so emit() reads as one decision per child. */
    private final class Listing {
        private final SyncPath directory;
        private final ListingSink sink;
        private final Duration precision;
        private final Instant sweepBefore;
        private List<Path> ancestorRealPaths;

        Listing(SyncPath directory, ListingSink sink, Duration precision, Instant sweepBefore) {
            this.directory = directory;
            this.sink = sink;
            this.precision = precision;
            this.sweepBefore = sweepBefore;
        }

        void emit(Path child) throws IOException {
            String name = child.getFileName().toString();
            if (!decodesToSameName(child, name)) {
                sink.notice(ListingNotice.hostileName(directory, name, "in " + Errors.where(directory, root)
                        + ": name is not valid in the platform charset (" + platformCharset()
                        + "); it cannot be read or written by name"));
                return;
            }
            try {
                SyncPath.checkName(name);
            } catch (IllegalArgumentException e) {
                sink.notice(ListingNotice.hostileName(directory, name, "in " + Errors.where(directory, root) + ": " + e.getMessage()));
                return;
            }
            if (TemporaryNames.isTemporary(name)) {
                sweepIfStale(child, sweepBefore);
                return;
            }
            SyncPath path = directory.child(name);
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(child, BasicFileAttributes.class, NOFOLLOW);
            } catch (NoSuchFileException e) {
                return; // deleted since the directory was read: simply not there any more
            } catch (IOException e) {
                sink.notice(new ListingNotice(path.toString(), ListingNotice.Reason.UNREADABLE,
                        "cannot read attributes: " + e.getMessage()));
                return;
            }
            if (attrs.isSymbolicLink()) {
                Optional<String> refusal = linkRefusal(child);
                if (refusal.isEmpty() && isLoop(child)) {
                    refusal = Optional.of("symbolic link to an enclosing directory (a loop), not followed");
                }
                if (refusal.isPresent()) {
                    sink.notice(new ListingNotice(path.toString(), ListingNotice.Reason.SYMLINK, refusal.get()));
                    return;
                }
                try {
                    attrs = Files.readAttributes(child, BasicFileAttributes.class);
                } catch (IOException e) {
                    sink.notice(new ListingNotice(path.toString(), ListingNotice.Reason.UNREADABLE,
                            "cannot read the target of a symbolic link: " + e.getMessage()));
                    return;
                }
            }
            Optional<Entry> entry = toEntry(path, attrs, precision);
            if (entry.isPresent()) {
                sink.entry(entry.get());
            } else {
                sink.notice(new ListingNotice(path.toString(), ListingNotice.Reason.SPECIAL_FILE,
                        "not a regular file or directory (device, socket or pipe): not synced"));
            }
        }

        /**
         * Whether a followable link points at this directory or at one enclosing it along the
         * path it was reached by (which, through earlier links, may differ from the real tree):
         * following it would make a recursive walk endless.
         */
        private boolean isLoop(Path link) {
            try {
                Path target = link.toRealPath();
                if (ancestorRealPaths == null) {
                    ancestorRealPaths = new ArrayList<>();
                    Path p = root;
                    ancestorRealPaths.add(p.toRealPath());
                    for (String segment : directory.segments()) {
                        p = p.resolve(segment);
                        ancestorRealPaths.add(p.toRealPath());
                    }
                }
                for (Path ancestor : ancestorRealPaths) {
                    if (ancestor.startsWith(target)) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        }
    }

    @Override
    public Optional<Entry> stat(SyncPath path) throws IOException {
        if (!path.isRoot() && TemporaryNames.isTemporary(path.name())) {
            return Optional.empty(); // hidden from listings, so hidden here too
        }
        Path p = resolve(path, false, "stat");
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
            if (attrs.isSymbolicLink() && !path.isRoot()) {
                // A link the listing would not follow is, to this target, not there.
                if (linkRefusal(p).isPresent()) {
                    return Optional.empty();
                }
                attrs = Files.readAttributes(p, BasicFileAttributes.class);
            } else if (attrs.isSymbolicLink()) {
                attrs = Files.readAttributes(p, BasicFileAttributes.class); // the root may be a link
            }
        } catch (IOException e) {
            IOException mapped = Errors.map(e, "stat", path, root);
            if (mapped instanceof NotFoundException) {
                return Optional.empty();
            }
            throw mapped;
        }
        return toEntry(path, attrs, capabilities().modTimePrecision());
    }

    /** Opens for reading at {@code offset}; an offset at or past the end gives an empty stream. */
    @Override
    public InputStream open(SyncPath path, long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        Path p = resolve(path, true, "read");
        requireRegularFile(path, p, "read", FOLLOW);
        // A FileInputStream, not a channel stream: a copy to another local file can then go
        // through the kernel (see the engine's transfer stream).
        FileInputStream in = null;
        try {
            in = new FileInputStream(p.toFile());
            in.getChannel().position(offset);
            return in;
        } catch (IOException e) {
            closeQuietly(in, e);
            throw Errors.map(e, "read", path, root);
        }
    }

    /** Reads the whole file through the digest; never from a cache, so a result is always current. */
    @Override
    public Optional<String> hash(SyncPath path, HashAlgorithm algorithm) throws IOException {
        if (!HASHES.contains(algorithm)) {
            return Optional.empty();
        }
        MessageDigest digest = algorithm.newDigest();
        byte[] buffer = new byte[BUFFER_SIZE];
        try (InputStream in = open(path, 0)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw Errors.map(e, "hash", path, root);
        }
        return Optional.of(HashAlgorithm.hex(digest.digest()));
    }

    // ---------------------------------------------------------------- writing

    /** A write is a resumable write that runs to its end in one go. */
    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        LocalPartialWrite w = begin(path, hints);
        boolean done = false;
        try {
            w.append(content);
            Entry e = w.complete();
            done = true;
            return e;
        } finally {
            if (!done) {
                w.abort();
            }
        }
    }

    /** Starts a write into a temporary file beside the final one; the token names that file. */
    @Override
    public LocalPartialWrite begin(SyncPath path, WriteHints hints) throws IOException {
        Path target = prepareFileDestination(path, "write");
        Path temp = target.getParent().resolve(TemporaryNames.newName(path.name()));
        try {
            Files.createFile(temp);
        } catch (IOException e) {
            throw Errors.map(e, "write", path, root);
        }
        return new LocalPartialWrite(path, target, temp, hints);
    }

    /** Continues a write whose temporary file is still there (it is swept after {@code tempMaxAge}). */
    @Override
    public Optional<PartialWrite> resume(String token, WriteHints hints) throws IOException {
        Optional<TemporaryNames.ResumeToken> parsed = TemporaryNames.ResumeToken.parse(token);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        SyncPath path = parsed.get().path();
        String tempName = parsed.get().temporaryName();
        Path target = resolve(path, false, "resume a write to");
        Path temp = target.getParent().resolve(tempName);
        if (!Files.isRegularFile(temp, NOFOLLOW)) {
            return Optional.empty();
        }
        return Optional.of(new LocalPartialWrite(path, target, temp, hints));
    }

    /** A write in a temporary file: appended to, then renamed over the final name. */
    public final class LocalPartialWrite implements PartialWrite {
        private final SyncPath path;
        private final Path target;
        private final Path temp;
        private final WriteHints hints;

        LocalPartialWrite(SyncPath path, Path target, Path temp, WriteHints hints) {
            this.path = path;
            this.target = target;
            this.temp = temp;
            this.hints = hints;
        }

        @Override
        public String token() {
            return new TemporaryNames.ResumeToken(temp.getFileName().toString(), path).toString();
        }

        @Override
        public long committedBytes() throws IOException {
            try {
                return Files.size(temp);
            } catch (IOException e) {
                throw Errors.map(e, "resume a write to", path, root);
            }
        }

        @Override
        public void append(InputStream content) throws IOException {
            long already = committedBytes();
            long room = hints.size() < 0 ? -1 : hints.size() - already;
            try (BoundedOutputStream out = new BoundedOutputStream(temp, room, path)) {
                // transferTo lets a local source hand the bytes over in the kernel.
                content.transferTo(out);
                if (options.fsync()) {
                    out.getChannel().force(true);
                }
            } catch (IOException e) {
                // Errors the mapping does not know (a remote source's network failure) pass unchanged.
                throw Errors.map(e, "write", path, root);
            }
        }

        @Override
        public Entry complete() throws IOException {
            try {
                long size = Files.size(temp);
                if (hints.size() >= 0 && size != hints.size()) {
                    throw sizeMismatch(path, size, hints.size());
                }
                // Before the rename, so no reader ever sees the new content with the wrong time.
                if (hints.modTime().isPresent()) {
                    Files.setLastModifiedTime(temp, FileTime.from(hints.modTime().get()));
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw Errors.map(e, "write", path, root);
            }
            if (options.fsync()) {
                fsyncDirectory(target.getParent(), path);
            }
            return storedEntry(path, target, "write");
        }

        @Override
        public void abort() {
            deleteQuietly(temp);
        }
    }

    /** Deletes a file or an empty directory; what is absent counts as deleted. */
    @Override
    public void delete(SyncPath path) throws IOException {
        Path p = resolve(path, false, "delete");
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            IOException mapped = Errors.map(e, "delete", path, root);
            if (mapped instanceof NotFoundException) {
                return; // a file stands where a parent should be: the path is not there
            }
            throw mapped;
        }
    }

    @Override
    public void makeDirectories(SyncPath directory) throws IOException {
        Path p = resolve(directory, true, "create directory");
        try {
            Files.createDirectories(p);
        } catch (FileAlreadyExistsException e) {
            throw new PermanentSyncException("cannot create directory " + Errors.where(directory, root)
                    + ": a file is in the way (" + e.getFile() + ")", e);
        } catch (IOException e) {
            throw Errors.map(e, "create directory", directory, root);
        }
    }

    /** Copies through a temporary file and a rename, keeping the source's modification time. */
    @Override
    public Entry copy(SyncPath from, SyncPath to) throws IOException {
        Path source = resolve(from, true, "copy");
        requireRegularFile(from, source, "copy", FOLLOW);
        Path target = prepareFileDestination(to, "copy to");
        Path temp = target.getParent().resolve(TemporaryNames.newName(to.name()));
        boolean moved = false;
        try {
            Files.copy(source, temp, StandardCopyOption.COPY_ATTRIBUTES);
            if (options.fsync()) {
                try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } catch (IOException e) {
            throw Errors.map(e, "copy " + Errors.where(from, root) + " to", to, root);
        } finally {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
        if (options.fsync()) {
            fsyncDirectory(target.getParent(), to);
        }
        return storedEntry(to, target, "copy to");
    }

    /** Renames a file or directory (the final name itself, never what a link there points to). */
    @Override
    public Entry move(SyncPath from, SyncPath to) throws IOException {
        if (from.isRoot() || to.isRoot()) {
            throw new PermanentSyncException("cannot move the root " + root);
        }
        if (from.contains(to) && !from.equals(to)) {
            throw new PermanentSyncException("cannot move " + Errors.where(from, root) + " into itself ('" + to + "')");
        }
        if (TemporaryNames.isTemporary(to.name())) {
            throw reservedName(to, "move to");
        }
        Path source = resolve(from, false, "move");
        BasicFileAttributes attrs = attributes(from, source, "move", NOFOLLOW);
        if (attrs.isSymbolicLink()) {
            throw new PermanentSyncException("cannot move " + Errors.where(from, root) + ": it is a symbolic link");
        }
        Path target = resolve(to, false, "move to");
        if (!from.equals(to)) {
            try {
                Files.createDirectories(target.getParent());
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw Errors.map(e, "move " + Errors.where(from, root) + " to", to, root);
            }
            if (options.fsync()) {
                fsyncDirectory(source.getParent(), from);
                fsyncDirectory(target.getParent(), to);
            }
        }
        return storedEntry(to, target, "move to");
    }

    /**
     * Appends after checking the size. Not atomic like {@link #write}: if the content fails
     * half-way the file is cut back to {@code expectedSize}, so a retry finds it as before.
     */
    @Override
    public Entry append(SyncPath path, long expectedSize, InputStream content) throws IOException {
        Path p = resolve(path, true, "append to");
        requireRegularFile(path, p, "append to", FOLLOW);
        try (FileChannel out = FileChannel.open(p, StandardOpenOption.WRITE)) {
            long size = out.size();
            if (size != expectedSize) {
                throw new PreconditionFailedException("cannot append to " + Errors.where(path, root)
                        + ": it has " + size + " bytes, expected " + expectedSize);
            }
            out.position(size);
            try {
                content.transferTo(java.nio.channels.Channels.newOutputStream(out));
                if (options.fsync()) {
                    out.force(true);
                }
            } catch (IOException e) {
                try {
                    out.truncate(expectedSize);
                } catch (IOException t) {
                    e.addSuppressed(t);
                }
                throw e;
            }
        } catch (IOException e) {
            throw Errors.map(e, "append to", path, root);
        }
        return storedEntry(path, p, "append to");
    }

    @Override
    public Entry setModTime(SyncPath path, Instant modTime) throws IOException {
        Path p = resolve(path, true, "set the modification time of");
        attributes(path, p, "set the modification time of", FOLLOW);
        try {
            Files.setLastModifiedTime(p, FileTime.from(modTime));
        } catch (IOException e) {
            throw Errors.map(e, "set the modification time of", path, root);
        }
        return storedEntry(path, p, "set the modification time of");
    }

    @Override
    public void close() {
        // Nothing is held open between calls.
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The local path of {@code path}, after checking that no existing component on the way from
     * the root (and the final one too, if {@code checkLast}) is a symbolic link this target may
     * not follow. Operations that replace or remove the final name itself pass
     * {@code checkLast = false}: a rename or unlink acts on the link, not on what it points to.
     */
    private Path resolve(SyncPath path, boolean checkLast, String action) throws IOException {
        List<String> segments = path.segments();
        int checked = checkLast ? segments.size() : segments.size() - 1;
        Path p = root;
        boolean exists = true;
        for (int i = 0; i < segments.size(); i++) {
            try {
                p = p.resolve(segments.get(i));
            } catch (InvalidPathException e) {
                throw new PermanentSyncException("cannot " + action + " " + Errors.where(path, root)
                        + ": the name cannot be represented on this file system (platform charset "
                        + platformCharset() + "): " + e.getReason(), e);
            }
            if (exists && i < checked) {
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
                } catch (IOException e) {
                    // Missing (or unreachable): nothing below it can be a link; the operation
                    // itself will report whatever is wrong.
                    exists = false;
                    continue;
                }
                if (attrs.isSymbolicLink()) {
                    Optional<String> refusal = linkRefusal(p);
                    if (refusal.isPresent()) {
                        String link = String.join("/", segments.subList(0, i + 1));
                        throw new PermissionDeniedException("cannot " + action + " " + Errors.where(path, root)
                                + (leadsOutside(p)
                                        ? ": refusing to follow symlink leaving the root at '" + link + "'"
                                        : ": refusing to follow symlink at '" + link + "': " + refusal.get()));
                    }
                }
            }
        }
        return p;
    }

    /** Why the link at {@code link} may not be followed, or empty if it may. */
    private Optional<String> linkRefusal(Path link) {
        if (!options.followSymlinks()) {
            return Optional.of("symbolic link, not followed (set followSymlinks=true to follow links inside the root)");
        }
        try {
            link.toRealPath();
        } catch (IOException e) {
            return Optional.of("broken symbolic link (its target does not exist)");
        }
        if (leadsOutside(link)) {
            return Optional.of("symbolic link leads outside the root, not followed");
        }
        return Optional.empty();
    }

    /** Whether a link resolves to somewhere outside the root's real path (a broken link does not). */
    private boolean leadsOutside(Path link) {
        try {
            return !link.toRealPath().startsWith(rootRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private Path rootRealPath() throws IOException {
        Path r = rootRealPath;
        if (r == null) {
            r = root.toRealPath();
            rootRealPath = r;
        }
        return r;
    }

    /**
     * Checks and prepares the destination of a new file: not the root, not a reserved name, no
     * link on the way, parents created, no directory in the way.
     */
    private Path prepareFileDestination(SyncPath path, String action) throws IOException {
        if (path.isRoot()) {
            throw new PermanentSyncException("cannot " + action + " the root " + root + " as a file");
        }
        if (TemporaryNames.isTemporary(path.name())) {
            throw reservedName(path, action);
        }
        Path target = resolve(path, false, action);
        try {
            // Most parents exist already: one stat, where createDirectories would build and throw a
            // FileAlreadyExistsException (with its stack trace) per file.
            if (!Files.isDirectory(target.getParent())) {
                Files.createDirectories(target.getParent());
            }
        } catch (FileAlreadyExistsException e) {
            throw new PermanentSyncException("cannot " + action + " " + Errors.where(path, root)
                    + ": a file is in the way of a parent directory (" + e.getFile() + ")", e);
        } catch (IOException e) {
            throw Errors.map(e, action, path, root);
        }
        if (Files.isDirectory(target, NOFOLLOW)) {
            throw new PermanentSyncException("cannot " + action + " " + Errors.where(path, root)
                    + ": a directory is in the way");
        }
        return target;
    }

    private PermanentSyncException reservedName(SyncPath path, String action) {
        return new PermanentSyncException("cannot " + action + " " + Errors.where(path, root)
                + ": the name has the form of Ferry's temporary files (.ferry-….partial)");
    }

    private BasicFileAttributes attributes(SyncPath path, Path p, String action, LinkOption[] links) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, links);
        } catch (IOException e) {
            throw Errors.map(e, action, path, root);
        }
    }

    private void requireRegularFile(SyncPath path, Path p, String action, LinkOption[] links) throws IOException {
        BasicFileAttributes attrs = attributes(path, p, action, links);
        if (attrs.isDirectory()) {
            throw new PermanentSyncException("cannot " + action + " " + Errors.where(path, root) + ": it is a directory");
        }
        if (!attrs.isRegularFile()) {
            throw new PermanentSyncException("cannot " + action + " " + Errors.where(path, root) + ": not a regular file");
        }
    }

    /** The entry as now stored, read back rather than assumed, so callers see the real mtime. */
    private Entry storedEntry(SyncPath path, Path p, String action) throws IOException {
        BasicFileAttributes attrs = attributes(path, p, action, FOLLOW);
        return toEntry(path, attrs, capabilities().modTimePrecision()).orElseThrow(() -> new PermanentSyncException(
                "cannot " + action + " " + Errors.where(path, root) + ": not a regular file or directory afterwards"));
    }

    private static Optional<Entry> toEntry(SyncPath path, BasicFileAttributes attrs, Duration precision) {
        Instant mtime = attrs.lastModifiedTime().toInstant();
        if (attrs.isRegularFile()) {
            return Optional.of(Entry.file(path, attrs.size()).modTime(mtime).modTimePrecision(precision).build());
        }
        if (attrs.isDirectory()) {
            return Optional.of(Entry.directory(path).modTime(mtime).modTimePrecision(precision).build());
        }
        return Optional.empty();
    }

    /** The temp file's stream; fails as soon as more bytes arrive than were announced. */
    private final class BoundedOutputStream extends FileOutputStream {
        private final long limit;
        private final SyncPath path;
        private long count;

        /** Appends to {@code file}, failing once more than {@code limit} bytes (if not -1) arrive. */
        BoundedOutputStream(Path file, long limit, SyncPath path) throws IOException {
            super(file.toFile(), true);
            this.limit = limit;
            this.path = path;
        }

        @Override
        public void write(int b) throws IOException {
            check(1);
            super.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check(len);
            super.write(b, off, len);
        }

        private void check(int n) throws IOException {
            count += n;
            if (limit >= 0 && count > limit) {
                throw sizeMismatch(path, count, limit);
            }
        }
    }

    private PermanentSyncException sizeMismatch(SyncPath path, long got, long expected) {
        String amount = got > expected ? "more than " + expected : String.valueOf(got);
        return new PermanentSyncException("cannot write " + Errors.where(path, root) + ": the content had "
                + amount + " bytes but " + expected + " were announced; nothing was written");
    }

    /** Forces a directory's entries (the rename) to the device, where the platform allows it. */
    private void fsyncDirectory(Path dir, SyncPath path) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException e) {
            return; // Windows cannot open a directory as a channel; the file's data was forced
        }
        try (ch) {
            ch.force(true);
        } catch (IOException e) {
            throw Errors.map(e, "sync the directory of", path, root);
        }
    }

    /**
     * Deletes a leftover temporary file untouched since {@code before}. Age is measured by the
     * later of mtime and the change time (ctime, or creation time where there is none), because a
     * live write sets its final mtime, which may be years old, on the temporary file just before
     * the rename; the change time cannot be set back.
     */
    private static void sweepIfStale(Path temp, Instant before) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(temp, BasicFileAttributes.class, NOFOLLOW);
            if (!attrs.isRegularFile()) {
                return;
            }
            Instant changed = attrs.lastModifiedTime().toInstant();
            Instant other;
            try {
                other = ((FileTime) Files.getAttribute(temp, "unix:ctime", NOFOLLOW)).toInstant();
            } catch (UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
                other = attrs.creationTime().toInstant();
            }
            if (other.isAfter(changed)) {
                changed = other;
            }
            if (changed.isBefore(before)) {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            // Best effort: it stays hidden and is tried again at the next listing.
        }
    }

    private static boolean decodesToSameName(Path child, String name) {
        try {
            return child.getParent().resolve(name).equals(child);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static String platformCharset() {
        return System.getProperty("sun.jnu.encoding", System.getProperty("file.encoding", "?"));
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // The sweep removes it later; the original failure is what matters to the caller.
        }
    }

    private static void closeQuietly(java.io.Closeable ch, IOException failure) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
