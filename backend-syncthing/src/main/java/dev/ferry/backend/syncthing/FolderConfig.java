package dev.ferry.backend.syncthing;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A folder as configured on a node.
 *
 * @param id the folder ID, the same on every device sharing it
 * @param label a name for people
 * @param path where it lives on the node's machine (absolute)
 * @param type how it syncs
 * @param devices the other devices it is shared with (the node itself is added by Syncthing)
 * @param rescanIntervalS seconds between full rescans (0: never)
 * @param fsWatcherEnabled whether changes are picked up by a file-system watcher
 * @param fsWatcherDelayS how long the watcher gathers changes before a scan
 * @param maxConflicts conflict copies kept per file (0: none, -1: unlimited)
 * @param paused whether the folder is paused
 */
public record FolderConfig(String id, String label, Path path, FolderType type, List<DeviceId> devices,
        int rescanIntervalS, boolean fsWatcherEnabled, int fsWatcherDelayS, int maxConflicts, boolean paused) {

    /** Validates and copies. */
    public FolderConfig {
        checkId(id);
        label = label == null ? "" : label;
        Objects.requireNonNull(path, "path");
        // Syncthing expands "~" and relative paths against its own notion of home: always say where.
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("a folder path must be absolute, not '" + path + "'");
        }
        Objects.requireNonNull(type, "type");
        devices = List.copyOf(new LinkedHashSet<>(devices));
        if (rescanIntervalS < 0 || fsWatcherDelayS < 0) {
            throw new IllegalArgumentException("rescan interval and watcher delay cannot be negative");
        }
        if (maxConflicts < -1) {
            throw new IllegalArgumentException("maxConflicts is -1 (unlimited), 0 (none) or a positive number");
        }
    }

    /** Refuses IDs Syncthing would misread in a URL or a config file. */
    static String checkId(String id) {
        // "." and ".." would be resolved away in the REST URL (rest/config/folders/..), reaching another route.
        if (id == null || id.isEmpty() || id.length() > 64 || !id.matches("[A-Za-z0-9._-]+") || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException("a folder ID is 1-64 letters, digits, '.', '_' or '-', not '" + id + "'");
        }
        return id;
    }

    /** A builder: send-receive, watcher on (10 s delay), hourly rescan, 10 conflict copies. */
    public static Builder builder(String id, Path path) {
        return new Builder(id, path);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(id, path).label(label).type(type).rescanIntervalS(rescanIntervalS)
                .fsWatcher(fsWatcherEnabled).fsWatcherDelayS(fsWatcherDelayS).maxConflicts(maxConflicts).paused(paused);
        b.devices.addAll(devices);
        return b;
    }

    /** Builds a {@link FolderConfig}. */
    public static final class Builder {
        private final String id;
        private final Path path;
        private String label = "";
        private FolderType type = FolderType.SEND_RECEIVE;
        private final Set<DeviceId> devices = new LinkedHashSet<>();
        private int rescanIntervalS = 3600;
        private boolean fsWatcherEnabled = true;
        private int fsWatcherDelayS = 10;
        private int maxConflicts = 10;
        private boolean paused;

        private Builder(String id, Path path) {
            this.id = id;
            this.path = path;
        }

        /** A name for people. */
        public Builder label(String label) {
            this.label = label;
            return this;
        }

        /** How it syncs. */
        public Builder type(FolderType type) {
            this.type = type;
            return this;
        }

        /** Shares it with one more device. */
        public Builder share(DeviceId device) {
            devices.add(device);
            return this;
        }

        /** Seconds between full rescans (0: never). */
        public Builder rescanIntervalS(int seconds) {
            this.rescanIntervalS = seconds;
            return this;
        }

        /** Whether a file-system watcher picks up changes. */
        public Builder fsWatcher(boolean enabled) {
            this.fsWatcherEnabled = enabled;
            return this;
        }

        /** Seconds the watcher gathers changes before scanning them. */
        public Builder fsWatcherDelayS(int seconds) {
            this.fsWatcherDelayS = seconds;
            return this;
        }

        /** Conflict copies kept per file (0: none, -1: unlimited). */
        public Builder maxConflicts(int max) {
            this.maxConflicts = max;
            return this;
        }

        /** Whether the folder starts paused. */
        public Builder paused(boolean paused) {
            this.paused = paused;
            return this;
        }

        /** The configuration. */
        public FolderConfig build() {
            return new FolderConfig(id, label, path, type, List.copyOf(devices), rescanIntervalS, fsWatcherEnabled,
                    fsWatcherDelayS, maxConflicts, paused);
        }
    }
}
