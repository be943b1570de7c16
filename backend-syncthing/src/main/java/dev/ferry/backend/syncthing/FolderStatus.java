package dev.ferry.backend.syncthing;

import java.util.Optional;

/**
 * A folder's state on the node ({@code /rest/db/status}).
 *
 * @param state {@code idle}, {@code scanning}, {@code syncing}, {@code error}...
 * @param error the folder's error, if any
 * @param globalFiles files in the newest version everybody agrees on
 * @param globalBytes their bytes
 * @param localFiles files this node has
 * @param localBytes their bytes
 * @param needFiles files this node still needs
 * @param needBytes bytes this node still needs
 * @param needDeletes deletions this node still has to apply
 * @param pullErrors files that failed to sync
 * @param sequence the local index sequence: moves when a scan or pull commits a change
 */
public record FolderStatus(String state, Optional<String> error, long globalFiles, long globalBytes,
        long localFiles, long localBytes, long needFiles, long needBytes, long needDeletes, long pullErrors,
        long sequence) {

    /** Whether the node is idle with nothing to pull and no errors. */
    public boolean isIdleAndComplete() {
        return "idle".equals(state) && needFiles == 0 && needBytes == 0 && needDeletes == 0 && error.isEmpty();
    }
}
