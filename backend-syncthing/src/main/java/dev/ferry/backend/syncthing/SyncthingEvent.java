package dev.ferry.backend.syncthing;

import java.time.Instant;
import java.util.Map;

/**
 * One event from a node's event stream.
 *
 * @param id the event's number within its subscription (its event mask); restarts with the node
 * @param globalId the node-wide number
 * @param time when it happened
 * @param type {@code LocalIndexUpdated}, {@code FolderCompletion}, {@code DeviceConnected}...
 * @param data the payload, as JSON-like maps, lists, strings, numbers and booleans
 */
public record SyncthingEvent(long id, long globalId, Instant time, String type, Map<String, Object> data) {

    /** Copies the payload. */
    public SyncthingEvent {
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
    }

    /** A string field of the payload ({@code folder}, {@code device}...), or "" if absent. */
    public String text(String field) {
        Object v = data.get(field);
        return v == null ? "" : v.toString();
    }
}
