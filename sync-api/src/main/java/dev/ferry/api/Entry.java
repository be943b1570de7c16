package dev.ferry.api;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a listing or a stat saw at one path: an immutable value.
 *
 * <p>Kept small on purpose, since the engine may hold one per file of a large tree: the
 * modification time is stored as seconds and nanoseconds rather than as an {@link Instant}
 * object, and the hash map is shared when empty.
 *
 * <p>The version token is opaque (an ETag, a Syncthing version, a feed's point count): it only
 * ever changes when the content may have changed.
 */
public final class Entry {

    private static final int NO_TIME = -1;

    private final SyncPath path;
    private final EntryKind kind;
    private final long size;
    private final long modSeconds;
    private final int modNanos; // NO_TIME when the modification time is unknown
    private final Duration modTimePrecision;
    private final Map<HashAlgorithm, String> hashes;
    private final String version;
    private final short mode; // NO_MODE when the target keeps or told none

    private static final short NO_MODE = -1;

    private Entry(Builder b) {
        this.path = Objects.requireNonNull(b.path, "path");
        this.kind = Objects.requireNonNull(b.kind, "kind");
        if (kind == EntryKind.FILE && b.size < 0) {
            throw new IllegalArgumentException("a file needs a size >= 0: " + path);
        }
        this.size = kind == EntryKind.DIRECTORY ? 0 : b.size;
        if (b.modTime != null) {
            this.modSeconds = b.modTime.getEpochSecond();
            this.modNanos = b.modTime.getNano();
        } else {
            this.modSeconds = 0;
            this.modNanos = NO_TIME;
        }
        this.modTimePrecision = b.modTimePrecision;
        this.hashes = b.hashes == null || b.hashes.isEmpty() ? Map.of() : Map.copyOf(b.hashes);
        this.version = b.version;
        this.mode = b.mode;
    }

    /** Starts a file entry of {@code size} bytes. */
    public static Builder file(SyncPath path, long size) {
        return new Builder(path, EntryKind.FILE).size(size);
    }

    /** Starts a directory entry. */
    public static Builder directory(SyncPath path) {
        return new Builder(path, EntryKind.DIRECTORY);
    }

    /** Where this entry is, relative to its target's root. */
    public SyncPath path() {
        return path;
    }

    /** File or directory. */
    public EntryKind kind() {
        return kind;
    }

    /** Whether this is a file. */
    public boolean isFile() {
        return kind == EntryKind.FILE;
    }

    /** Whether this is a directory. */
    public boolean isDirectory() {
        return kind == EntryKind.DIRECTORY;
    }

    /** Content length in bytes; 0 for directories. */
    public long size() {
        return size;
    }

    /** Last modification time, if the target knows one. */
    public Optional<Instant> modTime() {
        return modNanos == NO_TIME ? Optional.empty() : Optional.of(Instant.ofEpochSecond(modSeconds, modNanos));
    }

    /** How finely {@link #modTime()} was recorded (1 ns on ext4, 1 s on MLSD, 1 min on an FTP LIST). */
    public Duration modTimePrecision() {
        return modTimePrecision;
    }

    /** The hashes the target already knows for this file, lowercase hex, by algorithm. */
    public Map<HashAlgorithm, String> hashes() {
        return hashes;
    }

    /** One known hash. */
    public Optional<String> hash(HashAlgorithm algorithm) {
        return Optional.ofNullable(hashes.get(algorithm));
    }

    /** The target's opaque version token (ETag and the like), if it has one. */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /**
     * The POSIX permission bits ({@code 0755}, {@code 0600}: the low 12 bits of {@code st_mode}),
     * where the target keeps them and this listing or read told them; empty otherwise.
     */
    public OptionalInt mode() {
        return mode == NO_MODE ? OptionalInt.empty() : OptionalInt.of(mode);
    }

    /** A builder holding this entry's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(path, kind).size(size).modTimePrecision(modTimePrecision).version(version);
        b.mode = mode;
        modTime().ifPresent(b::modTime);
        if (!hashes.isEmpty()) {
            b.hashes = new EnumMap<>(hashes);
        }
        return b;
    }

    /** The same entry at another path (for renames and for mapping between roots). */
    public Entry withPath(SyncPath newPath) {
        return toBuilder().path(newPath).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e
                && path.equals(e.path)
                && kind == e.kind
                && size == e.size
                && modSeconds == e.modSeconds
                && modNanos == e.modNanos
                && modTimePrecision.equals(e.modTimePrecision)
                && hashes.equals(e.hashes)
                && Objects.equals(version, e.version)
                && mode == e.mode;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, kind, size, modSeconds, modNanos);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(kind == EntryKind.FILE ? "File[" : "Dir[").append(path);
        if (kind == EntryKind.FILE) {
            b.append(", ").append(size).append(" B");
        }
        modTime().ifPresent(t -> b.append(", ").append(t));
        hashes.forEach((a, h) -> b.append(", ").append(a).append('=').append(h));
        if (version != null) {
            b.append(", v=").append(version);
        }
        if (mode != NO_MODE) {
            b.append(", mode=").append(Integer.toOctalString(mode));
        }
        return b.append(']').toString();
    }

    /** Builds an {@link Entry}. */
    public static final class Builder {
        private SyncPath path;
        private final EntryKind kind;
        private long size;
        private Instant modTime;
        private Duration modTimePrecision = Duration.ofNanos(1);
        private Map<HashAlgorithm, String> hashes;
        private String version;
        private short mode = NO_MODE;

        private Builder(SyncPath path, EntryKind kind) {
            this.path = path;
            this.kind = kind;
        }

        /** Sets the path. */
        public Builder path(SyncPath path) {
            this.path = path;
            return this;
        }

        /** Sets the size in bytes. */
        public Builder size(long size) {
            this.size = size;
            return this;
        }

        /** Sets the modification time; {@code null} means unknown. */
        public Builder modTime(Instant modTime) {
            this.modTime = modTime;
            return this;
        }

        /** Sets how finely the modification time was recorded. */
        public Builder modTimePrecision(Duration precision) {
            if (precision.isNegative() || precision.isZero()) {
                throw new IllegalArgumentException("precision must be positive: " + precision);
            }
            this.modTimePrecision = precision;
            return this;
        }

        /** Adds a known hash (hex, any case). */
        public Builder hash(HashAlgorithm algorithm, String hex) {
            if (hashes == null) {
                hashes = new EnumMap<>(HashAlgorithm.class);
            }
            hashes.put(algorithm, algorithm.normalize(hex));
            return this;
        }

        /** Sets the opaque version token; {@code null} means none. */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /**
         * Sets the POSIX permission bits (0 to 07777).
         *
         * @throws IllegalArgumentException outside that range
         */
        public Builder mode(int mode) {
            if (mode < 0 || mode > 07777) {
                throw new IllegalArgumentException("a mode is 0 to 07777: " + Integer.toOctalString(mode));
            }
            this.mode = (short) mode;
            return this;
        }

        /** The entry. */
        public Entry build() {
            return new Entry(this);
        }
    }
}
