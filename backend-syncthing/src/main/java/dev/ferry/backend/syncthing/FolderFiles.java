package dev.ferry.backend.syncthing;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import dev.ferry.backend.support.ExactSizeInputStream;
import dev.ferry.backend.support.TemporaryFiles;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.Channels;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The folder's files on this machine, through {@code java.nio.file} (backends do not depend on
 * each other, so this is a thin part of its own, not backend-local). Writes go through a
 * temporary file and a rename; symbolic links are never followed; Syncthing's own files (its
 * folder marker, temporary pulls, versions) are hidden so a sync never deletes or copies them.
 * Conflict copies ({@code .sync-conflict-}) are ordinary entries, and remembered.
 */
final class FolderFiles {

    static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    /** Syncthing's files: the folder marker, ignores, versions, and its temporary pulls (Unix and Windows names). */
    private static final Pattern SYNCTHING_OWN =
            Pattern.compile("\\.stfolder|\\.stignore|\\.stversions|\\.syncthing\\..*\\.tmp|~syncthing~.*\\.tmp", Pattern.DOTALL);
    static final Pattern CONFLICT = Pattern.compile(".*\\.sync-conflict-\\d{8}-\\d{6}-[A-Z2-7]{7}.*", Pattern.DOTALL);
    private static final Duration TEMP_MAX_AGE = Duration.ofHours(24);

    private final Path root;
    private final Set<SyncPath> conflictCopies = ConcurrentHashMap.newKeySet();

    private final boolean fsync;

    FolderFiles(Path root, boolean fsync) {
        this.root = root;
        this.fsync = fsync;
    }

    Path root() {
        return root;
    }

    /** Whether Syncthing owns {@code name} (never listed, never written by a sync). */
    static boolean isSyncthingOwn(String name) {
        return SYNCTHING_OWN.matcher(name).matches();
    }

    Set<SyncPath> conflictCopies() {
        return Set.copyOf(conflictCopies);
    }

    /** The file for {@code path}, after checking no existing component below the root is a link. */
    Path resolve(SyncPath path) throws IOException {
        Path p = root;
        for (String segment : path.segments()) {
            if (isSyncthingOwn(segment)) {
                throw new PermanentSyncException("'" + path + "' is Syncthing's own file; Ferry does not touch it");
            }
            p = p.resolve(segment);
            if (Files.isSymbolicLink(p)) {
                throw new PermanentSyncException("'" + path + "' passes through a symbolic link; not followed");
            }
        }
        return p;
    }

    void list(SyncPath directory, ListingSink sink) throws IOException {
        Path dir = resolve(directory);
        if (!Files.isDirectory(dir, NOFOLLOW)) {
            throw new NotFoundException("no directory '" + directory + "' in " + root);
        }
        TemporaryFiles temps = new TemporaryFiles(Instant.now().minus(TEMP_MAX_AGE));
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                String name = child.getFileName().toString();
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(child, BasicFileAttributes.class, NOFOLLOW);
                } catch (NoSuchFileException e) {
                    continue;
                } catch (IOException e) {
                    sink.notice(new ListingNotice(directory.child(safe(name)).toString(), ListingNotice.Reason.UNREADABLE,
                            e.toString()));
                    continue;
                }
                if (isSyncthingOwn(name) || temps.hide(name, Optional.of(a.lastModifiedTime().toInstant()))) {
                    continue;
                }
                SyncPath path;
                try {
                    SyncPath.checkName(name);
                    path = directory.child(name);
                } catch (IllegalArgumentException e) {
                    sink.notice(ListingNotice.hostileName(directory, name, e.getMessage()));
                    continue;
                }
                if (a.isSymbolicLink()) {
                    sink.notice(new ListingNotice(path.toString(), ListingNotice.Reason.SYMLINK, "symbolic link not followed"));
                } else if (a.isOther()) {
                    sink.notice(new ListingNotice(path.toString(), ListingNotice.Reason.SPECIAL_FILE, "not a file or directory"));
                } else {
                    if (a.isRegularFile() && CONFLICT.matcher(name).matches()) {
                        conflictCopies.add(path);
                    }
                    sink.entry(entry(path, a));
                }
            }
        }
        for (String stale : temps.stale()) {
            Files.deleteIfExists(dir.resolve(stale));
        }
    }

    private static String safe(String name) {
        return name.replace('/', '_').replace('\0', '_');
    }

    Optional<Entry> stat(SyncPath path) throws IOException {
        Path p = resolve(path);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
            if (a.isSymbolicLink() || a.isOther()) {
                return Optional.empty();
            }
            return Optional.of(entry(path, a));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static Entry entry(SyncPath path, BasicFileAttributes a) {
        Entry.Builder b = a.isDirectory() ? Entry.directory(path) : Entry.file(path, a.size());
        return b.modTime(a.lastModifiedTime().toInstant()).modTimePrecision(SyncthingTarget.PRECISION).build();
    }

    InputStream open(SyncPath path, long offset) throws IOException {
        Path p = resolve(path);
        if (Files.isDirectory(p, NOFOLLOW)) {
            throw new PermanentSyncException("'" + path + "' is a directory, not a file");
        }
        SeekableByteChannel ch;
        try {
            ch = Files.newByteChannel(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("no file '" + path + "' in " + root, e);
        }
        ch.position(Math.min(offset, ch.size()));
        return Channels.newInputStream(ch);
    }

    Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        if (path.isRoot()) {
            throw new PermanentSyncException("cannot write the folder root as a file");
        }
        Path target = resolve(path);
        makeDirectories(path.parent());
        if (Files.isDirectory(target, NOFOLLOW)) {
            throw new PermanentSyncException("'" + path + "' is a directory; a file cannot replace it");
        }
        Path temp = target.resolveSibling(TemporaryNames.newName(path.name()));
        boolean published = false;
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(ch)) {
                new ExactSizeInputStream(content, hints.size(), "write " + path).transferTo(out);
                if (fsync) {
                    ch.force(true);
                }
            }
            if (hints.modTime().isPresent()) {
                Files.setLastModifiedTime(temp, FileTime.from(hints.modTime().get()));
            }
            // The precondition is checked just before the rename: the window is as short as a local rename allows.
            if (!hints.precondition().isNone() && !hints.precondition().matches(stat(path))) {
                throw new PreconditionFailedException("'" + path + "' changed since it was listed; kept as it is");
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            published = true;
        } finally {
            if (!published) {
                Files.deleteIfExists(temp);
            }
        }
        return stat(path).orElseThrow(() -> new NotFoundException("'" + path + "' vanished right after it was written"));
    }

    void delete(SyncPath path) throws IOException {
        if (path.isRoot()) {
            throw new PermanentSyncException("will not delete the folder root");
        }
        Path p = resolve(path);
        try {
            Files.deleteIfExists(p);
        } catch (DirectoryNotEmptyException e) {
            throw new PermanentSyncException("directory '" + path + "' is not empty", e);
        }
        conflictCopies.remove(path);
    }

    void makeDirectories(SyncPath directory) throws IOException {
        Path p = root;
        for (String segment : directory.segments()) {
            p = p.resolve(segment);
            if (Files.isSymbolicLink(p)) {
                throw new PermanentSyncException("'" + directory + "' passes through a symbolic link; not followed");
            }
            try {
                Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p, NOFOLLOW)) {
                    throw new PermanentSyncException("'" + directory + "' has a file where a directory should be", e);
                }
            }
        }
    }

    Entry setModTime(SyncPath path, Instant time) throws IOException {
        Path p = resolve(path);
        if (!Files.exists(p, NOFOLLOW)) {
            throw new NotFoundException("no file '" + path + "' in " + root);
        }
        Files.setLastModifiedTime(p, FileTime.from(time));
        return stat(path).orElseThrow();
    }
}
