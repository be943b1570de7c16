package dev.ferry.backend.local;

import dev.ferry.api.Entry;
import dev.ferry.api.ResumableWriter.PartialWrite;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Atomic writes: the content goes to a temporary file beside the final one
 * ({@code .ferry-<random>.<name>.partial}), which is then published in one step, so a reader
 * sees the old content or the new, never a part. A write is a resumable write run to its end.
 */
final class LocalWrites {

    private final LocalFiles fs;
    private final LocalPublisher publisher;

    LocalWrites(LocalFiles fs) {
        this.fs = fs;
        this.publisher = new LocalPublisher(fs);
    }

    Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        PartialWrite w = begin(path, hints);
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
    PartialWrite begin(SyncPath path, WriteHints hints) throws IOException {
        Path target = fs.prepareFileDestination(path, "write");
        Path temp = target.getParent().resolve(TemporaryNames.newName(path.name()));
        try {
            Files.createFile(temp);
        } catch (IOException e) {
            throw fs.map(e, "write", path);
        }
        return new LocalPartialWrite(fs, publisher, path, target, temp, hints);
    }

    /** Continues a write whose temporary file is still there (it is swept after {@code tempMaxAge}). */
    Optional<PartialWrite> resume(String token, WriteHints hints) throws IOException {
        Optional<TemporaryNames.ResumeToken> parsed = TemporaryNames.ResumeToken.parse(token);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        SyncPath path = parsed.get().path();
        Path target = fs.resolve(path, false, "resume a write to");
        Path temp = target.getParent().resolve(parsed.get().temporaryName());
        if (!Files.isRegularFile(temp, LocalFiles.NOFOLLOW)) {
            return Optional.empty();
        }
        return Optional.of(new LocalPartialWrite(fs, publisher, path, target, temp, hints));
    }

    /** Deletes {@code path} if it satisfies {@code precondition} (see {@link LocalPublisher#deleteIf}). */
    void deleteIf(SyncPath path, WriteHints.Precondition precondition) throws IOException {
        Path target = fs.resolve(path, false, "delete");
        try {
            publisher.deleteIf(path, target, precondition);
        } catch (IOException e) {
            fs.deleteFailed(e, path);
        }
    }

    /** The one publisher of this target's writes (listings put back what it left aside). */
    LocalPublisher publisher() {
        return publisher;
    }
}
