package dev.ferry.backend.syncthing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A device as configured on a node.
 *
 * @param id the device ID
 * @param name a name for people ("" lets the node use the device's own)
 * @param addresses where to dial it ({@code tcp://127.0.0.1:22001}), or {@code dynamic}
 * @param introducer whether devices and folders it shares are taken over from it
 * @param autoAcceptFolders whether folders it offers are accepted without asking
 * @param paused whether the connection is paused
 * @param introducedBy the introducer that added it, if any
 */
public record DeviceConfig(DeviceId id, String name, List<String> addresses, boolean introducer,
        boolean autoAcceptFolders, boolean paused, java.util.Optional<DeviceId> introducedBy) {

    /** Validates and copies. */
    public DeviceConfig {
        Objects.requireNonNull(id, "id");
        name = name == null ? "" : name;
        addresses = List.copyOf(addresses);
        for (String a : addresses) {
            if (!a.equals("dynamic") && !a.matches("(tcp|tcp4|tcp6|quic|quic4|quic6|relay)://.+")) {
                throw new IllegalArgumentException("a device address is 'dynamic' or a URL like tcp://host:22000, not '" + a + "'");
            }
        }
        introducedBy = introducedBy == null ? java.util.Optional.empty() : introducedBy;
    }

    /** A builder for the device {@code id}: dynamic addresses, no introducer, no auto-accept. */
    public static Builder builder(DeviceId id) {
        return new Builder(id);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(id).name(name).introducer(introducer).autoAcceptFolders(autoAcceptFolders).paused(paused);
        b.addresses.clear();
        b.addresses.addAll(addresses);
        return b;
    }

    /** Builds a {@link DeviceConfig}. */
    public static final class Builder {
        private final DeviceId id;
        private String name = "";
        private final List<String> addresses = new ArrayList<>();
        private boolean introducer;
        private boolean autoAcceptFolders;
        private boolean paused;

        private Builder(DeviceId id) {
            this.id = Objects.requireNonNull(id, "id");
        }

        /** A name for people. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Adds an address to dial ({@code tcp://127.0.0.1:22001}); none means {@code dynamic}. */
        public Builder address(String address) {
            addresses.add(address);
            return this;
        }

        /** Replaces the addresses. */
        public Builder addresses(List<String> addresses) {
            this.addresses.clear();
            this.addresses.addAll(addresses);
            return this;
        }

        /** Whether to take over the devices and folders it shares. */
        public Builder introducer(boolean introducer) {
            this.introducer = introducer;
            return this;
        }

        /** Whether folders it offers are accepted without asking. */
        public Builder autoAcceptFolders(boolean autoAccept) {
            this.autoAcceptFolders = autoAccept;
            return this;
        }

        /** Whether the device starts paused. */
        public Builder paused(boolean paused) {
            this.paused = paused;
            return this;
        }

        /** The configuration. */
        public DeviceConfig build() {
            return new DeviceConfig(id, name, addresses.isEmpty() ? List.of("dynamic") : addresses, introducer,
                    autoAcceptFolders, paused, java.util.Optional.empty());
        }
    }
}
