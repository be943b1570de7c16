package dev.ferry.backend.syncthing;

import java.time.Instant;

/**
 * A folder a configured device offers that is not shared back yet: accept it with the same ID,
 * or dismiss it.
 *
 * @param folderId the folder's ID (accepting must use the same)
 * @param offeredBy the offering device
 * @param label the label that device gave it
 * @param time when it was offered
 */
public record PendingFolder(String folderId, DeviceId offeredBy, String label, Instant time) {}
