package dev.ferry.backend.sftp;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import dev.ferry.backend.support.ConflictNames;
import dev.ferry.backend.support.TemporaryFiles;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.DirEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One directory's listing, streamed from READDIR batches into the sink: every name checked as a
 * {@link SyncPath} segment first (a server that lists {@code ../x} or {@code a/b} gets a hostile-
 * name notice, never an entry), symbolic links and special files reported and skipped,
 * temporary names hidden and stale ones deleted afterwards; a file a conditional write took
 * aside and never put back is put back (or kept under a conflict name).
 */
final class SftpListing {

    private static final Logger LOG = LoggerFactory.getLogger(SftpListing.class);
    static final String CONFLICT_ID = "FERRYSF";

    private final Remote remote;

    SftpListing(Remote remote) {
        this.remote = remote;
    }

    void list(SyncPath directory, ListingSink sink) throws IOException {
        String dir = remote.abs(directory);
        String action = "list " + remote.where(directory);
        TemporaryFiles temps = new TemporaryFiles(Instant.now().minus(remote.options.tempMaxAge()));
        SftpClient sftp = null;
        try {
            Sessions.Answered<Attributes> first = remote.sessions.idempotent(c -> c.stat(dir));
            sftp = first.sftp();
            Attributes self = first.value();
            if (!self.isDirectory()) {
                throw new NotFoundException("cannot " + action + ": not a directory");
            }
            for (DirEntry d : sftp.readDir(dir)) {
                String name = d.getFilename();
                if (name == null || name.equals(".") || name.equals("..")) {
                    continue;
                }
                Attributes a = d.getAttributes();
                if (temps.hide(name, Optional.ofNullable(a.getModifyTime()).map(t -> t.toInstant()))) {
                    continue;
                }
                try {
                    SyncPath.checkName(name);
                } catch (IllegalArgumentException e) {
                    sink.notice(ListingNotice.hostileName(directory, name, "in " + remote.where(directory) + ": " + e.getMessage()));
                    continue;
                }
                if (name.indexOf('\uFFFD') >= 0) {
                    sink.notice(ListingNotice.unrepresentableName(directory, name,
                            "a name on the server that is not valid UTF-8: not synced"));
                    continue;
                }
                SyncPath path = directory.child(name);
                if (a.isSymbolicLink()) {
                    sink.notice(new ListingNotice(path.toString(), ListingNotice.Reason.SYMLINK,
                            "symbolic link on the server, not followed"));
                    continue;
                }
                Optional<Entry> e = Remote.entry(path, a);
                if (e.isPresent()) {
                    sink.entry(e.get());
                } else {
                    sink.notice(new ListingNotice(path.toString(), ListingNotice.Reason.SPECIAL_FILE,
                            "neither a file nor a directory on the server: not synced"));
                }
            }
        } catch (UncheckedIOException e) {
            throw SftpErrors.io(e.getCause(), action); // READDIR batches come through the iterator
        } catch (IOException e) {
            throw SftpErrors.io(e, action);
        }
        for (String stale : temps.stale()) {
            LOG.debug("deleting a stale temporary file {}/{}", dir, stale);
            Remote.removeQuietly(sftp, Remote.child(dir, stale));
        }
        for (String aside : temps.asides()) {
            putBack(sftp, directory, dir, aside);
        }
    }

    /** A user's file a conditional write took aside and never put back: back at its name, or beside it. */
    private void putBack(SftpClient sftp, SyncPath directory, String dir, String aside) {
        String original = TemporaryNames.asideOriginal(aside);
        try {
            String from = Remote.child(dir, aside);
            try {
                sftp.rename(from, Remote.child(dir, original)); // plain rename: never replaces
                LOG.warn("put back {} in {} (a conditional write had taken it aside)", original, remote.where(directory));
                return;
            } catch (IOException e) {
                if (Remote.lstat(sftp, Remote.child(dir, original)).isEmpty()) {
                    throw e;
                }
            }
            String name = ConflictNames.name(original, Instant.now(), CONFLICT_ID, n -> {
                try {
                    return Remote.lstat(sftp, Remote.child(dir, n)).isPresent();
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
            sftp.rename(from, Remote.child(dir, name));
            LOG.warn("kept a file a conditional write had taken aside as {} in {}", name, remote.where(directory));
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not put back {} in {}: {}", aside, remote.where(directory), e.getMessage());
        }
    }
}
