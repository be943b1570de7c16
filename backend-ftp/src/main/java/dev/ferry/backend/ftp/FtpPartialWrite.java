package dev.ferry.backend.ftp;

import dev.ferry.api.Entry;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.ResumableWriter.PartialWrite;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import dev.ferry.backend.support.ExactSizeInputStream;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.io.InputStream;

/**
 * A write into a temporary file in the destination directory, put in place at the end. A
 * one-piece {@link FtpUpload#write} goes through the same object on one connection.
 */
final class FtpPartialWrite implements PartialWrite {

    final SyncPath path;
    final String tempName;
    /** The final file's absolute path on the server. */
    final String target;
    final String dir;
    /** The temporary file's absolute path on the server. */
    final String temp;
    final WriteHints hints;
    final String action;
    private final FtpUpload upload;

    FtpPartialWrite(FtpUpload upload, FtpSession session, SyncPath path, String tempName, WriteHints hints) {
        this.upload = upload;
        this.path = path;
        this.tempName = tempName;
        this.target = session.abs(path);
        this.dir = FtpSession.parentOf(target);
        this.temp = FtpSession.child(dir, tempName);
        this.hints = hints;
        this.action = "write " + session.where(path);
    }

    @Override
    public String token() {
        return new TemporaryNames.ResumeToken(tempName, path).toString();
    }

    /** SIZE of the temporary file; 0 before the first byte arrived. */
    @Override
    public long committedBytes() throws IOException {
        return upload.held(this, action).orElse(0L);
    }

    /** Sends the rest, from {@link #committedBytes()} on; the temporary file stays if this fails. */
    @Override
    public void append(InputStream content) throws IOException {
        long offset = committedBytes();
        long rest = hints.size() < 0 ? -1 : hints.size() - offset;
        if (rest < 0 && hints.size() >= 0) {
            throw new PermanentSyncException("cannot " + action + ": the temporary file already holds " + offset
                    + " bytes, more than the " + hints.size() + " announced");
        }
        upload.send(this, offset, new ExactSizeInputStream(content, rest, action), false, c -> null);
    }

    /**
     * Checks the size on the server, sets the time and puts the file in place, honouring the
     * hints' precondition as a one-piece write does.
     */
    @Override
    public Entry complete() throws IOException {
        return upload.complete(this);
    }

    /** Deletes the temporary file; one already gone counts as deleted. */
    @Override
    public void abort() {
        upload.removeTemp(temp);
    }
}
