package dev.ferry.core;

import dev.ferry.api.Entry;
import dev.ferry.api.EntryKind;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.SyncPath;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one path looked like on both sides after the last run that synced it: the memory of
 * two-way sync. Each side keeps its own view, since the two may differ in what they record
 * (an upload time instead of the original one, an ETag, a coarser time).
 *
 * @param path the path, relative to both roots
 * @param kind file or directory
 * @param a how the first target (the source) saw it
 * @param b how the second target (the destination) saw it
 */
record StateRecord(SyncPath path, EntryKind kind, Snapshot a, Snapshot b) {

    StateRecord {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
    }

    /** A record of the same file as two targets listed it. */
    static StateRecord of(Entry a, Entry b) {
        if (a.kind() != b.kind()) {
            throw new IllegalArgumentException("a " + a.kind() + " and a " + b.kind() + " are not one synced path");
        }
        return new StateRecord(a.path(), a.kind(), Snapshot.of(a), Snapshot.of(b));
    }

    /** Whether a side's entry is not what the state remembers for that side. */
    static boolean changed(Entry now, StateRecord.Snapshot then) {
        if (now == null) {
            return true;
        }
        if (now.size() != then.size()) {
            return true;
        }
        if (now.version().isPresent() && then.version() != null) {
            return !now.version().get().equals(then.version());
        }
        Optional<Instant> t = then.modTime();
        if (now.modTime().isPresent() && t.isPresent() && !now.modTime().get().equals(t.get())) {
            return true;
        }
        for (Map.Entry<HashAlgorithm, String> h : then.hashes().entrySet()) {
            Optional<String> mine = now.hash(h.getKey());
            if (mine.isPresent() && !mine.get().equals(h.getValue())) {
                return true;
            }
        }
        return false;
    }

    /**
     * One side's view of a synced path: enough to tell later whether it changed.
     *
     * @param size bytes (0 for directories)
     * @param seconds modification time, whole seconds since the epoch
     * @param nanos the nanoseconds of the time, or -1 when the side keeps no time
     * @param version the side's opaque version token, or {@code null}
     * @param hashes hashes the side listed, lowercase hex
     */
    record Snapshot(long size, long seconds, int nanos, String version, Map<HashAlgorithm, String> hashes) {

        Snapshot {
            hashes = hashes.isEmpty() ? Map.of() : Map.copyOf(hashes);
        }

        static Snapshot of(Entry e) {
            Optional<Instant> t = e.modTime();
            return new Snapshot(e.size(), t.map(Instant::getEpochSecond).orElse(0L), t.map(Instant::getNano).orElse(-1),
                    e.version().orElse(null), e.hashes());
        }

        Optional<Instant> modTime() {
            return nanos < 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(seconds, nanos));
        }
    }
}
