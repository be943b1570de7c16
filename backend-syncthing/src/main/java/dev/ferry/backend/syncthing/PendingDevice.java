package dev.ferry.backend.syncthing;

import java.time.Instant;

/**
 * A device that tried to connect but is not configured: accept it by adding it, or dismiss it.
 *
 * @param device its ID
 * @param name the name it gave
 * @param address where it connected from
 * @param time when it last tried
 */
public record PendingDevice(DeviceId device, String name, String address, Instant time) {}
