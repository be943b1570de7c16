package dev.ferry.core;

import dev.ferry.api.Entry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * Finds renames among a plan's copies and deletions: a file new at one path and a file deleted
 * at another are taken for one file moved only when a {@link Proof} says so (by default a hash
 * both sides know, or the content itself; size and time alone only when the user chose
 * {@link RenameEvidence#MODTIME}). A wrong guess would move the old content under the new name
 * and leave the two sides different for good, so unproven pairs stay a copy and a delete.
 */
final class Renames {

    /** At most this many same-size candidates are checked for one new file (each may read both files). */
    private static final int MAX_PROOFS_PER_FILE = 8;

    /** A copy and a deletion that are one file moved. */
    record Match(SyncAction.CopyFile created, SyncAction.DeleteFile deleted) {}

    /** Whether {@code created} (the new file) and {@code deleted} (the file at the old path) are one file. */
    interface Proof {
        boolean sameFile(Entry created, Entry deleted) throws IOException;
    }

    private Renames() {}

    /**
     * Pairs new files with deleted ones of the same size that {@code proof} accepts, each at most
     * once. A proof that fails (a hash that cannot be read) is recorded and leaves the pair alone.
     */
    static List<Match> match(List<SyncAction.CopyFile> created, List<SyncAction.DeleteFile> deleted, Proof proof,
            Queue<SyncFailure> failures) {
        Map<Long, LinkedList<SyncAction.DeleteFile>> bySize = new HashMap<>();
        for (SyncAction.DeleteFile d : deleted) {
            bySize.computeIfAbsent(d.destination().size(), k -> new LinkedList<>()).add(d);
        }
        List<Match> out = new ArrayList<>();
        for (SyncAction.CopyFile c : created) {
            LinkedList<SyncAction.DeleteFile> candidates = bySize.get(c.source().size());
            if (candidates == null) {
                continue;
            }
            int tries = 0;
            for (var it = candidates.iterator(); it.hasNext() && tries < MAX_PROOFS_PER_FILE; tries++) {
                SyncAction.DeleteFile d = it.next();
                boolean same;
                try {
                    same = proof.sameFile(c.source(), d.destination());
                } catch (IOException e) {
                    failures.add(new SyncFailure(c.path().toString(), SyncFailure.Stage.COMPARE,
                            "could not tell whether it is " + d.path() + " renamed: " + Errors.describe(e)
                                    + "; copied instead", Errors.isTransient(e)));
                    continue;
                }
                if (same) {
                    it.remove();
                    out.add(new Match(c, d));
                    break;
                }
            }
        }
        return out;
    }
}
