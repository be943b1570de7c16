package dev.ferry.backend.syncthing;

import java.util.List;
import java.util.Optional;

/**
 * The node-wide options a platform sets: where it listens and how it finds peers. Read with
 * {@link SyncthingNode#options()}; change with a {@link Change}, which sends only what was set.
 *
 * @param listenAddresses where it accepts connections ({@code tcp://127.0.0.1:22001}, {@code default})
 * @param relaysEnabled whether relays are used
 * @param globalDiscoveryEnabled whether it announces to and asks global discovery servers
 * @param localDiscoveryEnabled whether it broadcasts on the LAN
 * @param natEnabled whether it maps ports (UPnP/NAT-PMP) and uses STUN
 */
public record NodeOptions(List<String> listenAddresses, boolean relaysEnabled, boolean globalDiscoveryEnabled,
        boolean localDiscoveryEnabled, boolean natEnabled) {

    /** Copies the list. */
    public NodeOptions {
        listenAddresses = List.copyOf(listenAddresses);
    }

    /** An empty change: set what should change, leave the rest. */
    public static Change change() {
        return new Change(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * A change to some options; what is empty stays as it is on the node.
     *
     * @param listenAddresses new listen addresses (needs a restart to take effect)
     * @param relaysEnabled relays on or off
     * @param globalDiscoveryEnabled global discovery on or off
     * @param localDiscoveryEnabled local discovery on or off
     * @param natEnabled NAT traversal on or off
     */
    public record Change(Optional<List<String>> listenAddresses, Optional<Boolean> relaysEnabled,
            Optional<Boolean> globalDiscoveryEnabled, Optional<Boolean> localDiscoveryEnabled, Optional<Boolean> natEnabled) {

        /** With new listen addresses. */
        public Change listenAddresses(List<String> addresses) {
            return new Change(Optional.of(List.copyOf(addresses)), relaysEnabled, globalDiscoveryEnabled, localDiscoveryEnabled, natEnabled);
        }

        /** With relays on or off. */
        public Change relays(boolean on) {
            return new Change(listenAddresses, Optional.of(on), globalDiscoveryEnabled, localDiscoveryEnabled, natEnabled);
        }

        /** With global discovery on or off. */
        public Change globalDiscovery(boolean on) {
            return new Change(listenAddresses, relaysEnabled, Optional.of(on), localDiscoveryEnabled, natEnabled);
        }

        /** With local discovery on or off. */
        public Change localDiscovery(boolean on) {
            return new Change(listenAddresses, relaysEnabled, globalDiscoveryEnabled, Optional.of(on), natEnabled);
        }

        /** With NAT traversal on or off. */
        public Change nat(boolean on) {
            return new Change(listenAddresses, relaysEnabled, globalDiscoveryEnabled, localDiscoveryEnabled, Optional.of(on));
        }

        /** Whether nothing is set. */
        public boolean isEmpty() {
            return listenAddresses.isEmpty() && relaysEnabled.isEmpty() && globalDiscoveryEnabled.isEmpty()
                    && localDiscoveryEnabled.isEmpty() && natEnabled.isEmpty();
        }
    }
}
