package dev.ferry.backend.syncthing;

/**
 * How far one device is with one folder, as this node knows from that device's last index
 * ({@code /rest/db/completion}). {@link #percent()} alone is no proof: it is 100 for an empty
 * folder, 95 when only deletions are missing, and stale until the device sends its index.
 *
 * @param folderId the folder
 * @param device the device
 * @param percent 0 to 100
 * @param globalBytes bytes in the global version
 * @param needBytes bytes the device still needs
 * @param globalItems items in the global version
 * @param needItems items the device still needs
 * @param needDeletes deletions the device still has to apply
 * @param sequence the device's index sequence as last received
 */
public record Completion(String folderId, DeviceId device, double percent, long globalBytes, long needBytes,
        long globalItems, long needItems, long needDeletes, long sequence) {

    /** Nothing to fetch, nothing to delete, by the counts (not the percentage). */
    public boolean nothingNeeded() {
        return needBytes == 0 && needItems == 0 && needDeletes == 0;
    }

    /**
     * Whether the device has everything: nothing needed by the counts, and the counts rest on
     * an index the device actually sent (1.19 reports "nothing needed" for a device that never
     * sent one, sequence 0), unless there is nothing to have at all.
     */
    public boolean hasEverything() {
        return nothingNeeded() && (sequence > 0 || globalItems == 0);
    }
}
