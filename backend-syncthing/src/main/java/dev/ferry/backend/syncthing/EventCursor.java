package dev.ferry.backend.syncthing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one event mask's stream from a node, remembering where it got to. Syncthing numbers
 * events per mask and per process: this cursor keeps its own mask, notices a gap in the numbers
 * (the node's buffer of 1,000 overflowed) and a restart (the node's start time changed), and says
 * so in each {@link Batch}, so the caller re-reads state instead of trusting a partial stream.
 *
 * <p>Create it before causing the changes you want to see: the node starts buffering a mask at
 * its first request. Not thread-safe: one reader per cursor.
 */
public final class EventCursor {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final RestClient rest;
    private final String mask;
    private long since;
    private Instant nodeStart;

    EventCursor(RestClient rest, Set<String> types) throws IOException {
        this.rest = rest;
        this.mask = String.join(",", new TreeSet<>(types));
        this.nodeStart = startTime();
        // Subscribes: the node creates this mask's buffer on its first request.
        for (SyncthingEvent e : fetch(0, Duration.ZERO)) {
            since = Math.max(since, e.id());
        }
    }

    /**
     * What one {@link #next} saw.
     *
     * @param events the events, oldest first
     * @param eventsLost whether some were lost (a gap in the numbers, or a restart)
     * @param nodeRestarted whether the node restarted since the last call
     */
    public record Batch(List<SyncthingEvent> events, boolean eventsLost, boolean nodeRestarted) {
        /** Copies. */
        public Batch {
            events = List.copyOf(events);
        }
    }

    /** The event types this cursor reads, comma-separated as sent. */
    public String mask() {
        return mask;
    }

    /**
     * The events after the last ones returned, waiting up to {@code wait} for some (whole
     * seconds; zero returns at once).
     */
    public Batch next(Duration wait) throws IOException {
        List<SyncthingEvent> events;
        boolean restarted = false;
        events = fetch(since, wait);
        Instant start = startTime();
        if (!start.equals(nodeStart)) {
            // The node restarted: its numbering began again at 1, and what we asked for is meaningless.
            nodeStart = start;
            restarted = true;
            since = 0;
            events = fetch(0, Duration.ZERO);
        }
        boolean lost = restarted;
        List<SyncthingEvent> out = new ArrayList<>(events.size());
        for (SyncthingEvent e : events) {
            if (e.id() <= since) {
                continue;
            }
            // Numbers run 1, 2, 3... per mask: a jump means the node's buffer dropped some.
            lost |= e.id() != since + 1;
            out.add(e);
            since = e.id();
        }
        return new Batch(out, lost, restarted);
    }

    private List<SyncthingEvent> fetch(long from, Duration wait) throws IOException {
        long seconds = Math.max(0, wait.toSeconds());
        JsonNode array = rest.getWithTimeout("rest/events", Duration.ofSeconds(seconds + 30),
                "events", mask, "since", from, "timeout", seconds);
        List<SyncthingEvent> events = new ArrayList<>();
        for (JsonNode e : array) {
            Map<String, Object> data = e.path("data").isObject()
                    ? RestClient.JSON.convertValue(e.path("data"), MAP)
                    : Map.of("value", RestClient.JSON.convertValue(e.path("data"), Object.class) == null ? ""
                            : RestClient.JSON.convertValue(e.path("data"), Object.class));
            events.add(new SyncthingEvent(e.path("id").asLong(), e.path("globalID").asLong(),
                    Wire.instant(e.path("time")), e.path("type").asText(), data));
        }
        return events;
    }

    private Instant startTime() throws IOException {
        return Wire.instant(rest.get("rest/system/status").path("startTime"));
    }
}
