package dev.ferry.api;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the writer knows about content it is about to send: the target uses it to pick an upload
 * method (single request or multipart by size), to keep the modification time, and to let the
 * server check what it received (Content-MD5, OC-Checksum).
 *
 * @param size the exact length, or -1 when unknown; a target must refuse (and leave nothing
 *     visible) a stream that delivers fewer or more bytes
 * @param modTime the modification time to keep, if any
 * @param hashes hashes of the content known before sending, lowercase hex
 */
public record WriteHints(long size, Optional<Instant> modTime, Map<HashAlgorithm, String> hashes) {

    /** No hints: size unknown, no time, no hashes. */
    public static final WriteHints NONE = new WriteHints(-1, Optional.empty(), Map.of());

    /** Validates and copies. */
    public WriteHints {
        if (size < -1) {
            throw new IllegalArgumentException("size < -1");
        }
        hashes = Map.copyOf(hashes);
    }

    /** Hints for content of a known size. */
    public static WriteHints ofSize(long size) {
        return new WriteHints(size, Optional.empty(), Map.of());
    }

    /** Hints taken from a source entry: its size, modification time and known hashes. */
    public static WriteHints from(Entry source) {
        return new WriteHints(source.size(), source.modTime(), source.hashes());
    }

    /** A copy with the modification time set. */
    public WriteHints withModTime(Instant time) {
        return new WriteHints(size, Optional.of(time), hashes);
    }

    /** A copy with one more known hash. */
    public WriteHints withHash(HashAlgorithm algorithm, String hex) {
        Map<HashAlgorithm, String> m = new EnumMap<>(HashAlgorithm.class);
        m.putAll(hashes);
        m.put(algorithm, algorithm.normalize(hex));
        return new WriteHints(size, modTime, m);
    }
}
