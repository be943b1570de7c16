package dev.ferry.backend.sftp;

import dev.ferry.api.Capabilities;
import dev.ferry.api.ConditionalDeleter;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.Hasher;
import dev.ferry.api.ListingSink;
import dev.ferry.api.ModTimeSetter;
import dev.ferry.api.PosixModes;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.ServerSideMove;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import org.apache.sshd.sftp.client.SftpClient;

/**
 * A directory on an SFTP server, through Apache MINA SSHD's SFTP client.
 *
 * <p>Uploads go to {@code .ferry-<random>.<name>.partial} beside the final file with pipelined
 * WRITE requests, get their modification time there (to the second, as SFTP v3 keeps it), and are
 * renamed into place with posix-rename@openssh.com, so a reader sees the old file or the new one
 * ({@link SftpPublisher} also honours write preconditions). Temporary names are never listed;
 * stale ones are deleted when their directory is listed. Reads start at any offset and are
 * pipelined. POSIX modes are read from the attributes of every listing and set with the time on
 * the temporary file ({@link PosixModes}). Large writes survive a restart of the process ({@link ResumableWriter}: the
 * temporary file stays, its size says what is held).
 *
 * <p>Host keys are checked against {@code known_hosts} ({@link HostKeys}). Up to
 * {@code connections} SSH sessions are shared by all threads ({@link Sessions}), each with
 * keep-alives. Thread-safe. This class only routes: each concern lives in a package-private part.
 */
public final class SftpTarget implements SyncTarget, ServerSideMove, ConditionalDeleter, ModTimeSetter,
        ResumableWriter, Hasher, PosixModes {

    private final Remote remote;
    private final SftpListing listing;
    private final SftpReads reads;
    private final SftpTree tree;
    private final SftpWrites writes;
    private final SftpHashes hashes;

    private SftpTarget(Remote remote) {
        this.remote = remote;
        this.listing = new SftpListing(remote);
        this.reads = new SftpReads(remote);
        this.tree = new SftpTree(remote);
        this.writes = new SftpWrites(remote, tree, new SftpPublisher(remote));
        this.hashes = new SftpHashes(remote, remote.options.shellHashes());
    }

    /** Connects and logs in once (to fail early on a wrong host, host key or credentials) and resolves the root. */
    static SftpTarget open(SftpOptions options) throws IOException {
        Sessions sessions = Sessions.open(options);
        try {
            SftpClient sftp = sessions.first();
            String root = options.rootPath();
            if (!root.startsWith("/")) {
                String home = sftp.canonicalPath(".");
                root = root.isEmpty() ? home : Remote.child(home, root);
            }
            while (root.endsWith("/")) {
                root = root.substring(0, root.length() - 1);
            }
            boolean posixRename = sftp.getServerExtensions().containsKey("posix-rename@openssh.com");
            return new SftpTarget(new Remote(options, sessions, root, posixRename));
        } catch (IOException e) {
            sessions.close();
            throw SftpErrors.io(e, "open " + options.description());
        } catch (RuntimeException e) {
            sessions.close();
            throw e;
        }
    }

    @Override
    public String description() {
        return remote.options.description();
    }

    @Override
    public String toString() {
        return description();
    }

    /**
     * Times to the second (SFTP v3); hashes only where {@code md5sum}/{@code sha1sum}/
     * {@code sha256sum} run over SSH (probed once); case-sensitive, 255-byte names (POSIX
     * servers); preconditions checked with a take-aside and no-replace renames.
     */
    @Override
    public Capabilities capabilities() {
        return Capabilities.builder()
                .modTimePrecision(Remote.SECOND)
                .hashes(hashes.offered())
                .conditionalWrites(true)
                .build();
    }

    @Override
    public <T> Optional<T> ability(Class<T> type) {
        if (type == Hasher.class && hashes.offered().isEmpty()) {
            return Optional.empty();
        }
        return SyncTarget.super.ability(type);
    }

    @Override
    public Optional<String> hash(SyncPath path, HashAlgorithm algorithm) throws IOException {
        return hashes.hash(path, algorithm);
    }

    @Override
    public void list(SyncPath directory, ListingSink sink) throws IOException {
        listing.list(directory, sink);
    }

    @Override
    public Optional<Entry> stat(SyncPath path) throws IOException {
        return tree.stat(path);
    }

    @Override
    public InputStream open(SyncPath path, long offset) throws IOException {
        return reads.open(path, offset);
    }

    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        return writes.write(path, content, hints);
    }

    @Override
    public PartialWrite begin(SyncPath path, WriteHints hints) {
        return writes.begin(path, hints);
    }

    @Override
    public Optional<PartialWrite> resume(String token, WriteHints hints) throws IOException {
        return writes.resume(token, hints);
    }

    @Override
    public void delete(SyncPath path) throws IOException {
        tree.delete(path);
    }

    /** Taken aside, compared, removed or put back (see {@link SftpPublisher#deleteIf}). */
    @Override
    public void deleteIf(SyncPath path, WriteHints.Precondition precondition) throws IOException {
        writes.deleteIf(path, precondition);
    }

    @Override
    public void makeDirectories(SyncPath directory) throws IOException {
        tree.makeDirectories(directory);
    }

    @Override
    public Entry move(SyncPath from, SyncPath to) throws IOException {
        return tree.move(from, to);
    }

    @Override
    public Entry setModTime(SyncPath path, Instant modTime) throws IOException {
        return tree.setModTime(path, modTime);
    }

    /** SFTP attributes carry the permission bits in every listing and stat. */
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
        tree.setDirectoryMode(directory, mode);
    }

    /** Whether the server offers posix-rename@openssh.com (for tests and diagnostics). */
    boolean posixRename() {
        return remote.posixRename;
    }

    /** The root's absolute path on the server. */
    String root() {
        return remote.root;
    }

    /** Closes every session; streams still open fail. */
    @Override
    public void close() {
        remote.sessions.close();
    }
}
