package dev.ferry.backend.local;

import dev.ferry.api.PosixModes;
import dev.ferry.api.Entry;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.ResumableWriter.PartialWrite;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import dev.ferry.backend.support.ExactSizeInputStream;
import dev.ferry.backend.support.TemporaryNames;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * A write in a temporary file beside the final one: appended to (across restarts, the token
 * names the file), then published under the final name by {@link LocalPublisher}, which
 * honours the write's precondition.
 */
final class LocalPartialWrite implements PartialWrite {

    private final LocalFiles fs;
    private final LocalPublisher publisher;
    private final SyncPath path;
    private final Path target;
    private final Path temp;
    private final WriteHints hints;

    LocalPartialWrite(LocalFiles fs, LocalPublisher publisher, SyncPath path, Path target, Path temp, WriteHints hints) {
        this.fs = fs;
        this.publisher = publisher;
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
            throw fs.map(e, "resume a write to", path);
        }
    }

    @Override
    public void append(InputStream content) throws IOException {
        long already = committedBytes();
        long room = hints.size() < 0 ? -1 : hints.size() - already;
        ExactSizeInputStream in = new ExactSizeInputStream(content, room, "write " + fs.where(path));
        try (FileOutputStream out = new FileOutputStream(temp.toFile(), true)) {
            // transferTo lets a local source hand the bytes over in the kernel.
            in.transferTo(out);
            if (fs.options.fsync()) {
                out.getChannel().force(true);
            }
        } catch (IOException e) {
            if (in.sizeMismatch()) {
                // Worded as this backend always has; the check itself is ExactSizeInputStream's.
                throw sizeMismatch(already + in.count(), hints.size(), e);
            }
            // Errors the mapping does not know (a remote source's network failure) pass unchanged.
            throw fs.map(e, "write", path);
        }
    }

    @Override
    public Entry complete() throws IOException {
        try {
            long size = Files.size(temp);
            if (hints.size() >= 0 && size != hints.size()) {
                throw sizeMismatch(size, hints.size(), null);
            }
            // Before the file becomes visible, so no reader ever sees the new content with the wrong time.
            if (hints.mode().isPresent() && LocalFiles.keepsModes()) {
                Files.setPosixFilePermissions(temp, PosixModes.permissions(hints.mode().getAsInt()));
            }
            if (hints.modTime().isPresent()) {
                Files.setLastModifiedTime(temp, FileTime.from(hints.modTime().get()));
            }
            publisher.publish(path, temp, target, hints.precondition(), "write");
        } catch (IOException e) {
            throw fs.map(e, "write", path);
        }
        if (fs.options.fsync()) {
            fs.fsyncDirectory(target.getParent(), path);
        }
        return fs.storedEntry(path, target, "write");
    }

    @Override
    public void abort() {
        LocalFiles.deleteQuietly(temp);
    }

    private PermanentSyncException sizeMismatch(long got, long expected, IOException cause) {
        String amount = got > expected ? "more than " + expected : String.valueOf(got);
        return new PermanentSyncException("cannot write " + fs.where(path) + ": the content had " + amount
                + " bytes but " + expected + " were announced; nothing was written", cause);
    }
}
