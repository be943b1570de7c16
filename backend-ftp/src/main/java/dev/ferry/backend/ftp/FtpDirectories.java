package dev.ferry.backend.ftp;

import static dev.ferry.backend.ftp.FtpSession.parentOf;
import static dev.ferry.backend.ftp.FtpSession.replyError;

import dev.ferry.api.Entry;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.TransientSyncException;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Changes to the tree that are not uploads: delete (a file, or an empty directory), create
 * directories with their parents, and move (RNFR/RNTO). Remembers which directories exist, so
 * an upload does not ask again; forgotten on delete.
 */
final class FtpDirectories {

    private final FtpSession session;
    private final FtpStat stat;
    /** Directories known to exist (absolute). */
    private final Set<String> knownDirs = ConcurrentHashMap.newKeySet();

    FtpDirectories(FtpSession session, FtpStat stat) {
        this.session = session;
        this.stat = stat;
    }

    void delete(SyncPath path) throws IOException {
        String p = session.abs(path);
        String action = "delete " + session.where(path);
        session.withConnection(action, true, c -> {
            if (c.client.deleteFile(p)) {
                return null;
            }
            knownDirs.removeIf(d -> d.equals(p) || d.startsWith(p + "/"));
            if (c.client.getReplyCode() == 421) {
                throw replyError(c, action);
            }
            // Some servers (Apache FtpServer: 450 "resource busy") refuse to remove the session's
            // working directory, where a listing on this pooled connection may have left it.
            c.client.changeWorkingDirectory("/");
            if (c.client.removeDirectory(p)) {
                return null;
            }
            IOException refusal = replyError(c, action);
            if (stat.statOn(c, path, p, action).isEmpty()) {
                return null; // nothing there: a retried delete succeeds
            }
            throw refusal instanceof NotFoundException
                    ? new PermanentSyncException(refusal.getMessage() + " (a directory that is not empty?)")
                    : refusal;
        });
    }

    void makeDirectories(SyncPath directory) throws IOException {
        String action = "create directory " + session.where(directory);
        session.withConnection(action, true, c -> {
            mkdirs(c, session.abs(directory), action);
            return null;
        });
    }

    /** Creates {@code dir} and its missing parents, unless it is known to exist. */
    void ensure(FtpConnection c, String dir, String action) throws IOException {
        if (!knownDirs.contains(dir)) {
            mkdirs(c, dir, action);
            knownDirs.add(dir);
        }
    }

    /** {@code dir} may be gone: an upload into it was refused. */
    void forget(String dir) {
        knownDirs.remove(dir);
    }

    /** Creates {@code dir} and its missing parents. */
    void mkdirs(FtpConnection c, String dir, String action) throws IOException {
        if (dir.equals("/") || dir.isEmpty()) {
            return;
        }
        if (c.client.makeDirectory(dir)) {
            return;
        }
        if (c.client.getReplyCode() == 421) {
            throw replyError(c, action);
        }
        if (c.client.changeWorkingDirectory(dir)) {
            return; // already there
        }
        mkdirs(c, parentOf(dir), action);
        if (!c.client.makeDirectory(dir) && !c.client.changeWorkingDirectory(dir)) {
            throw replyError(c, action + " (creating directory " + dir + ")");
        }
    }

    /** RNFR/RNTO, creating the destination's directory; a file in the way is replaced. */
    Entry move(SyncPath from, SyncPath to) throws IOException {
        String src = session.abs(from);
        String dst = session.abs(to);
        String action = "move " + session.where(from) + " to '" + to + "'";
        session.withConnection(action, false, c -> {
            if (c.client.rename(src, dst)) {
                return null;
            }
            int code = c.client.getReplyCode();
            if (code == 421 || code < 500) {
                throw replyError(c, action);
            }
            if (stat.statOn(c, from, src, action).isEmpty()) {
                throw new NotFoundException("cannot " + action + ": nothing is there");
            }
            mkdirs(c, parentOf(dst), action);
            if (c.client.rename(src, dst)) {
                return null;
            }
            Optional<Entry> existing = stat.statOn(c, to, dst, action);
            if (existing.isPresent() && existing.get().isFile() && c.client.deleteFile(dst) && c.client.rename(src, dst)) {
                return null;
            }
            throw replyError(c, action);
        });
        return stat.stat(to).orElseThrow(() -> new TransientSyncException("cannot " + action + ": the result is not visible yet"));
    }
}
