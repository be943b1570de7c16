package dev.ferry.core;

import dev.ferry.api.ConditionalDeleter;
import dev.ferry.api.Entry;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.ServerSideMove;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Moves within one target (a rename carried over, a conflict's loser taken aside), and the
 * guard every move and delete of a two-way run passes: the file must still be the one the scan
 * listed. A target without {@link ServerSideMove} moves by copy and delete; the copy can take
 * as long as the file is large, so the original is deleted only if it is still the version
 * copied, and otherwise kept, with the copy taken back (deleting it would lose the edit).
 */
final class Moves {

    private final Retrier retrier;
    /** Whether to look at a file again before replacing, moving or deleting it (two-way). */
    private final boolean guardChanges;
    /** Whether writes carry a precondition: the file must still be as the scan saw it. */
    private final boolean protect;

    Moves(Retrier retrier, boolean guardChanges, boolean protect) {
        this.retrier = retrier;
        this.guardChanges = guardChanges;
        this.protect = protect;
    }

    /** Moves {@code m}'s file to its new path; returns the entry now there. */
    Entry move(SyncTarget target, SyncAction.MoveFile m) throws IOException {
        unchangedSinceScan(target, m.file());
        Optional<ServerSideMove> mover = target.ability(ServerSideMove.class);
        if (mover.isPresent()) {
            return retrier.call("move " + m.file().path() + " to " + m.to(), () -> mover.get().move(m.file().path(), m.to()));
        }
        Entry copied = retrier.call("copy " + m.file().path() + " to " + m.to(), () -> {
            try (InputStream in = target.open(m.file().path(), 0)) {
                WriteHints hints = WriteHints.from(m.file());
                return target.write(m.to(), in, protect ? hints.withPrecondition(WriteHints.Precondition.absent()) : hints);
            }
        });
        try {
            deleteListed(target, m.file());
        } catch (PreconditionFailedException edited) {
            // The copy may hold the old version, the new one or a mix: it is ours, and no one's
            // version; the original stays where it is and the next run sees the edit.
            if (target.stat(m.to()).filter(now -> same(now, copied)).isPresent()) {
                target.delete(m.to());
            }
            throw edited;
        }
        return copied;
    }

    /**
     * Deletes a file the scan listed. In a two-way run only if it is still that version: checked
     * by the target as it deletes where it is a {@link ConditionalDeleter}, else looked at just
     * before (an edit saved between the look and the delete is the window that remains).
     */
    void deleteListed(SyncTarget target, Entry listed) throws IOException {
        SyncPath path = listed.path();
        Optional<ConditionalDeleter> checked = guardChanges ? target.ability(ConditionalDeleter.class) : Optional.empty();
        if (checked.isPresent()) {
            retrier.call("delete " + path, () -> {
                checked.get().deleteIf(path, WriteHints.Precondition.unchanged(listed));
                return null;
            });
            return;
        }
        unchangedSinceScan(target, listed);
        retrier.call("delete " + path, () -> {
            target.delete(path);
            return null;
        });
    }

    /** Two-way only: refuses to replace, move or delete a file that changed after it was listed. */
    void unchangedSinceScan(SyncTarget target, Entry listed) throws IOException {
        if (!guardChanges) {
            return;
        }
        Optional<Entry> now = target.stat(listed.path());
        if (now.isPresent() && !same(now.get(), listed)) {
            throw new PreconditionFailedException(listed.path() + " changed on " + target.description()
                    + " after it was listed; left alone, the next run takes it into account");
        }
    }

    /** Same size, and the same time and version where {@code known} has them. */
    private static boolean same(Entry now, Entry known) {
        return now.size() == known.size()
                && (known.modTime().isEmpty() || now.modTime().equals(known.modTime()))
                && (known.version().isEmpty() || now.version().equals(known.version()));
    }
}
