package dev.ferry.backend.sftp;

import dev.ferry.api.Entry;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.ResumableWriter.PartialWrite;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import dev.ferry.backend.support.ExactSizeInputStream;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.Optional;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.SftpOutputStreamAsync;

/**
 * Every upload: content into {@code .ferry-<random>.<name>.partial} beside the final file with
 * pipelined WRITE requests, the modification time set on it, then the publisher puts it in
 * place. A resumable write keeps its temporary file between processes; its size on the server is
 * what is held.
 */
final class SftpWrites {

    private final Remote remote;
    private final SftpTree tree;
    private final SftpPublisher publisher;

    SftpWrites(Remote remote, SftpTree tree, SftpPublisher publisher) {
        this.remote = remote;
        this.tree = tree;
        this.publisher = publisher;
    }

    Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        Upload w = new Upload(path, TemporaryNames.newName(path.name()), hints);
        try (Sessions.Lease lease = remote.sessions.transfer()) {
            return write(lease.sftp, w, content, hints);
        }
    }

    private Entry write(SftpClient sftp, Upload w, InputStream content, WriteHints hints) throws IOException {
        try {
            send(sftp, w, 0, new ExactSizeInputStream(content, hints.size(), w.action), true);
            return publisher.publish(sftp, w, hints.size() >= 0 ? hints.size() : sftp.stat(w.temp).getSize());
        } catch (IOException e) {
            discard(sftp, w.temp);
            throw SftpErrors.io(e, w.action);
        } catch (RuntimeException e) {
            discard(sftp, w.temp);
            throw e;
        }
    }

    /**
     * Removes a failed write's temporary file; when the write failed because the connection did,
     * on a fresh one, so a cut upload leaves nothing behind (else a later listing sweeps it).
     */
    private void discard(SftpClient used, String temp) {
        if (Remote.removeQuietly(used, temp)) {
            return;
        }
        try {
            Remote.removeQuietly(remote.sessions.sftp(), temp);
        } catch (IOException e) {
            // no connection at all: a later listing sweeps it
        }
    }

    /** Deletes {@code path} only if it satisfies {@code pre} (see {@link SftpPublisher#deleteIf}). */
    void deleteIf(SyncPath path, WriteHints.Precondition pre) throws IOException {
        try {
            publisher.deleteIf(remote.sessions.sftp(), path, pre);
        } catch (IOException e) {
            throw SftpErrors.io(e, "delete " + remote.where(path));
        }
    }

    PartialWrite begin(SyncPath path, WriteHints hints) {
        return new Upload(path, TemporaryNames.newName(path.name()), hints);
    }

    Optional<PartialWrite> resume(String token, WriteHints hints) throws IOException {
        Optional<TemporaryNames.ResumeToken> t = TemporaryNames.ResumeToken.parse(token);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        Upload w = new Upload(t.get().path(), t.get().temporaryName(), hints);
        try {
            return Remote.lstat(remote.sessions.sftp(), w.temp).isPresent() ? Optional.of(w) : Optional.empty();
        } catch (IOException e) {
            throw SftpErrors.io(e, w.action);
        }
    }

    /**
     * Writes {@code content} into the temporary file from {@code offset} on (truncating it first
     * when {@code fresh}), creating the parent directories when they are missing.
     */
    private void send(SftpClient sftp, Upload w, long offset, InputStream content, boolean fresh) throws IOException {
        EnumSet<OpenMode> modes = fresh ? EnumSet.of(OpenMode.Write, OpenMode.Create, OpenMode.Truncate)
                : EnumSet.of(OpenMode.Write, OpenMode.Create);
        CloseableHandle handle;
        try {
            handle = sftp.open(w.temp, modes);
        } catch (IOException e) {
            if (!SftpErrors.notFound(e)) {
                throw e;
            }
            tree.makeDirectories(w.path.parent());
            handle = sftp.open(w.temp, modes);
        }
        SftpOutputStreamAsync out = new SftpOutputStreamAsync((AbstractSftpClient) sftp, writeChunk(sftp), w.temp, handle);
        out.setOffset(offset);
        boolean done = false;
        try {
            content.transferTo(out);
            out.close(); // waits for every WRITE's status
            done = true;
        } finally {
            if (!done) {
                try {
                    handle.close();
                } catch (IOException | RuntimeException e) {
                    // the write failed anyway
                }
            }
        }
    }

    /** OpenSSH announces its limits (up to 255 KiB per WRITE); every server takes 32 KiB. */
    private static int writeChunk(SftpClient sftp) {
        return sftp.getServerExtensions().containsKey("limits@openssh.com") ? 128 * 1024 : 32 * 1024;
    }

    /** Bytes the temporary file holds; 0 if it is not there yet. */
    long held(Upload w) throws IOException {
        try {
            return Remote.lstat(remote.sessions.sftp(), w.temp).map(Attributes::getSize).orElse(0L);
        } catch (IOException e) {
            throw SftpErrors.io(e, w.action);
        }
    }

    /** A write through a temporary file beside the final one; also the {@link PartialWrite} of a resumable one. */
    final class Upload implements PartialWrite {
        final SyncPath path;
        final String tempName;
        final String target;
        final String dir;
        final String temp;
        final WriteHints hints;
        final String action;

        Upload(SyncPath path, String tempName, WriteHints hints) {
            this.path = path;
            this.tempName = tempName;
            this.target = remote.abs(path);
            this.dir = remote.parentOf(path);
            this.temp = Remote.child(dir, tempName);
            this.hints = hints;
            this.action = "write " + remote.where(path);
        }

        /** Where this upload publishes, for the publisher's helpers. */
        SftpPublisher.Place place() {
            return new SftpPublisher.Place(path, dir, target, action);
        }

        @Override
        public String token() {
            return new TemporaryNames.ResumeToken(tempName, path).toString();
        }

        @Override
        public long committedBytes() throws IOException {
            return held(this);
        }

        @Override
        public void append(InputStream content) throws IOException {
            long offset = committedBytes();
            long rest = hints.size() < 0 ? -1 : hints.size() - offset;
            if (hints.size() >= 0 && rest < 0) {
                throw new PermanentSyncException("cannot " + action + ": the temporary file already holds " + offset
                        + " bytes, more than the " + hints.size() + " announced");
            }
            try (Sessions.Lease lease = remote.sessions.transfer()) {
                send(lease.sftp, this, offset, new ExactSizeInputStream(content, rest, action), false);
            } catch (IOException e) {
                throw SftpErrors.io(e, action);
            }
        }

        @Override
        public Entry complete() throws IOException {
            SftpClient sftp = remote.sessions.sftp();
            long held = held(this);
            if (hints.size() >= 0 && held != hints.size()) {
                throw new PermanentSyncException("cannot " + action + ": the temporary file holds " + held + " bytes, not the "
                        + hints.size() + " announced; nothing was published");
            }
            try {
                return publisher.publish(sftp, this, held);
            } catch (IOException e) {
                throw SftpErrors.io(e, action);
            }
        }

        @Override
        public void abort() {
            try {
                Remote.removeQuietly(remote.sessions.sftp(), temp);
            } catch (IOException e) {
                // no connection: a later listing sweeps the temporary file
            }
        }
    }
}
