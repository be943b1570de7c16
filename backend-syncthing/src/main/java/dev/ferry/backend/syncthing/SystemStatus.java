package dev.ferry.backend.syncthing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A node's own state.
 *
 * @param myId the node's device ID
 * @param version the version string as reported ({@code v1.19.2-ds1} on Debian)
 * @param listen the configured listen addresses ({@code tcp://127.0.0.1:22001})
 * @param addresses the addresses those resolve to, as other devices can dial them
 * @param startTime when the running process started (changes on every restart)
 * @param uptime how long it has been running
 */
public record SystemStatus(DeviceId myId, String version, List<String> listen, List<String> addresses,
        Instant startTime, Duration uptime) {

    /** Copies the lists. */
    public SystemStatus {
        listen = List.copyOf(listen);
        addresses = List.copyOf(addresses);
    }
}
