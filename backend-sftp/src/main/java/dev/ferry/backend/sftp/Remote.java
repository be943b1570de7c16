package dev.ferry.backend.sftp;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;

/**
 * What every part of one target shares: the options, the sessions, the root's absolute path on
 * the server, what the server offers, and the one way to build an {@link Entry} from SFTP
 * attributes, so listing and stat agree.
 */
final class Remote {

    static final Duration SECOND = Duration.ofSeconds(1);
    /** Bytes per SFTP read or write request; OpenSSH takes up to 255 KiB, 64 KiB is the common size. */
    static final int CHUNK = 64 * 1024;
    /** The permission, setuid, setgid and sticky bits of an SFTP {@code permissions} field. */
    static final int MODE_BITS = 07777;

    final SftpOptions options;
    final Sessions sessions;
    /** The root, absolute, without a trailing slash ("" for "/"). */
    final String root;
    /** Whether the server offers posix-rename@openssh.com (an atomic rename over an existing file). */
    final boolean posixRename;

    Remote(SftpOptions options, Sessions sessions, String root, boolean posixRename) {
        this.options = options;
        this.sessions = sessions;
        this.root = root;
        this.posixRename = posixRename;
    }

    /** The absolute server path of {@code p}. */
    String abs(SyncPath p) {
        return p.isRoot() ? (root.isEmpty() ? "/" : root) : root + "/" + p;
    }

    /** The absolute path of the directory holding {@code p}. */
    String parentOf(SyncPath p) {
        return abs(p.parent());
    }

    static String child(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    /** {@code sftp://user@host/root/p}, for messages. */
    String where(SyncPath p) {
        String d = options.description();
        return p.isRoot() ? d : d + "/" + p;
    }

    /** An entry from attributes, or empty for what is neither a file nor a directory. */
    static Optional<Entry> entry(SyncPath path, Attributes a) {
        Entry.Builder b;
        if (a.isDirectory()) {
            b = Entry.directory(path);
        } else if (a.isRegularFile()) {
            b = Entry.file(path, Math.max(0, a.getSize()));
        } else {
            return Optional.empty();
        }
        if (a.getFlags().contains(SftpClient.Attribute.Perms)) {
            b.mode(a.getPermissions() & MODE_BITS); // st_mode without the file type bits
        }
        return Optional.of(b.modTime(time(a)).modTimePrecision(SECOND).build());
    }

    static Instant time(Attributes a) {
        FileTime t = a.getModifyTime();
        return t == null ? null : t.toInstant();
    }

    /** lstat, or empty if nothing is there. */
    static Optional<Attributes> lstat(SftpClient sftp, String path) throws IOException {
        try {
            return Optional.of(sftp.lstat(path));
        } catch (IOException e) {
            if (SftpErrors.notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Renames {@code from} onto {@code to}, replacing a file there atomically
     * (posix-rename@openssh.com); where the server lacks it, the file at {@code to} is removed
     * first (a reader then briefly sees nothing there).
     */
    void renameOver(SftpClient sftp, String from, String to) throws IOException {
        if (posixRename) {
            sftp.getExtension(OpenSSHPosixRenameExtension.class).posixRename(from, to);
            return;
        }
        try {
            sftp.rename(from, to);
        } catch (IOException e) {
            if (lstat(sftp, to).isEmpty()) {
                throw e;
            }
            sftp.remove(to);
            sftp.rename(from, to);
        }
    }

    /** Deletes a file, ignoring one already gone and any failure (a temporary file's cleanup). */
    /** Removes {@code path}; false if that failed for another reason than its being gone already. */
    static boolean removeQuietly(SftpClient sftp, String path) {
        try {
            sftp.remove(path);
            return true;
        } catch (IOException e) {
            return SftpErrors.notFound(e); // else the connection is gone; a later listing sweeps it
        } catch (RuntimeException e) {
            return false;
        }
    }

    static Attributes times(Instant t) {
        long s = t.getEpochSecond();
        return new Attributes().modifyTime(s).accessTime(s);
    }

    /** The mode and time for a finished upload, in one SETSTAT; empty when neither is given. */
    static Optional<Attributes> finish(Optional<Instant> time, java.util.OptionalInt mode) {
        if (time.isEmpty() && mode.isEmpty()) {
            return Optional.empty();
        }
        Attributes a = time.map(Remote::times).orElseGet(Attributes::new);
        mode.ifPresent(m -> a.perms(m & MODE_BITS));
        return Optional.of(a);
    }
}
