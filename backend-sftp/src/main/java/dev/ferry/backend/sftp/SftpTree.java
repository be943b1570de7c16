package dev.ferry.backend.sftp;

import dev.ferry.api.Entry;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.common.SftpConstants;

/** Stat, directories, deletes, moves and times: the small operations, one request or a few each. */
final class SftpTree {

    private final Remote remote;

    SftpTree(Remote remote) {
        this.remote = remote;
    }

    /** The entry at {@code path}; a link or special file counts as nothing, as in listings. */
    Optional<Entry> stat(SyncPath path) throws IOException {
        try {
            return remote.sessions.idempotent(c -> Remote.lstat(c, remote.abs(path))).value()
                    .flatMap(a -> Remote.entry(path, a));
        } catch (IOException e) {
            throw SftpErrors.io(e, "stat " + remote.where(path));
        }
    }

    void makeDirectories(SyncPath directory) throws IOException {
        String action = "create the directory " + remote.where(directory);
        SftpClient sftp = remote.sessions.sftp();
        try {
            // Up to the deepest existing ancestor (the root itself may be missing, several levels deep), then down.
            Deque<String> missing = new ArrayDeque<>();
            String d = remote.abs(directory);
            while (!d.isEmpty() && !d.equals("/")) {
                Optional<Attributes> a = Remote.lstat(sftp, d);
                if (a.isPresent()) {
                    if (!a.get().isDirectory()) {
                        throw new PermanentSyncException("cannot " + action + ": " + d + " is a file");
                    }
                    break;
                }
                missing.push(d);
                int slash = d.lastIndexOf('/');
                d = slash <= 0 ? "/" : d.substring(0, slash);
            }
            while (!missing.isEmpty()) {
                mkdir(sftp, missing.pop());
            }
        } catch (IOException e) {
            throw SftpErrors.io(e, action);
        }
    }

    /** MKDIR, succeeding when another writer made the directory first. */
    private static void mkdir(SftpClient sftp, String abs) throws IOException {
        try {
            sftp.mkdir(abs);
        } catch (IOException e) {
            Optional<Attributes> a = Remote.lstat(sftp, abs);
            if (a.isEmpty() || !a.get().isDirectory()) {
                throw e;
            }
        }
    }

    void delete(SyncPath path) throws IOException {
        String action = "delete " + remote.where(path);
        SftpClient sftp = remote.sessions.sftp();
        String abs = remote.abs(path);
        try {
            Optional<Attributes> a = Remote.lstat(sftp, abs);
            if (a.isEmpty()) {
                return;
            }
            if (a.get().isDirectory()) {
                try {
                    sftp.rmdir(abs);
                } catch (IOException e) {
                    if (SftpErrors.status(e) == SftpConstants.SSH_FX_FAILURE
                            || SftpErrors.status(e) == SftpConstants.SSH_FX_DIR_NOT_EMPTY) {
                        throw new PermanentSyncException("cannot " + action + ": the directory is not empty", e);
                    }
                    throw e;
                }
            } else {
                sftp.remove(abs);
            }
        } catch (IOException e) {
            if (SftpErrors.notFound(e)) {
                return; // deleted meanwhile
            }
            throw SftpErrors.io(e, action);
        }
    }

    /** Renames, replacing a file at {@code to} (posix-rename) and creating its parents; the time stays. */
    Entry move(SyncPath from, SyncPath to) throws IOException {
        String action = "move " + remote.where(from) + " to " + to;
        SftpClient sftp = remote.sessions.sftp();
        try {
            Optional<Attributes> a = Remote.lstat(sftp, remote.abs(from));
            if (a.isEmpty()) {
                throw new NotFoundException("cannot " + action + ": nothing is there");
            }
            if (!to.isRoot()) {
                makeDirectories(to.parent());
            }
            remote.renameOver(sftp, remote.abs(from), remote.abs(to));
            return Remote.lstat(sftp, remote.abs(to)).flatMap(x -> Remote.entry(to, x))
                    .orElseThrow(() -> new NotFoundException("cannot " + action + ": gone right after the rename"));
        } catch (IOException e) {
            throw SftpErrors.io(e, action);
        }
    }

    Entry setModTime(SyncPath path, Instant modTime) throws IOException {
        String action = "set the time of " + remote.where(path);
        SftpClient sftp = remote.sessions.sftp();
        try {
            sftp.setStat(remote.abs(path), Remote.times(modTime.truncatedTo(ChronoUnit.SECONDS)));
            return Remote.lstat(sftp, remote.abs(path)).flatMap(a -> Remote.entry(path, a))
                    .orElseThrow(() -> new NotFoundException("cannot " + action + ": nothing is there"));
        } catch (IOException e) {
            throw SftpErrors.io(e, action);
        }
    }

    /** chmod of a directory; the file type bits the server keeps are not touched. */
    void setDirectoryMode(SyncPath directory, int mode) throws IOException {
        String action = "set the mode of " + remote.where(directory);
        SftpClient sftp = remote.sessions.sftp();
        try {
            Optional<Attributes> a = Remote.lstat(sftp, remote.abs(directory));
            if (a.isEmpty() || !a.get().isDirectory()) {
                throw new NotFoundException("cannot " + action + ": no directory is there");
            }
            sftp.setStat(remote.abs(directory), new Attributes().perms(mode & Remote.MODE_BITS));
        } catch (IOException e) {
            throw SftpErrors.io(e, action);
        }
    }
}
