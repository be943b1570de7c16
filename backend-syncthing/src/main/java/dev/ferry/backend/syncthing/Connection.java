package dev.ferry.backend.syncthing;

import java.util.Optional;

/**
 * One configured device's connection as the node sees it.
 *
 * @param device the device
 * @param connected whether a connection is up
 * @param paused whether the device is paused
 * @param address the remote address of the connection, when connected
 * @param type the connection type ({@code tcp-client}, {@code tcp-server}...), when connected
 * @param inBytesTotal bytes received over this connection
 * @param outBytesTotal bytes sent over this connection
 */
public record Connection(DeviceId device, boolean connected, boolean paused, Optional<String> address,
        Optional<String> type, long inBytesTotal, long outBytesTotal) {}
