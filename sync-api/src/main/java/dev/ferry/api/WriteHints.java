package dev.ferry.api;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the writer knows about content it is about to send, and what it expects to find: the
 * target uses it to pick an upload method (single request or multipart by size), to keep the
 * modification time, to let the server check what it received (Content-MD5, OC-Checksum), and
 * to refuse to overwrite a file someone else changed.
 *
 * @param size the exact length, or -1 when unknown; a target must refuse (and leave nothing
 *     visible) a stream that delivers fewer or more bytes
 * @param modTime the modification time to keep, if any
 * @param hashes hashes of the content known before sending, lowercase hex
 * @param precondition what must be at the path for the write to go ahead; a target that
 *     {@linkplain Capabilities#conditionalWrites() honours preconditions} fails with
 *     {@link PreconditionFailedException} otherwise, one that does not ignores it
 */
public record WriteHints(long size, Optional<Instant> modTime, Map<HashAlgorithm, String> hashes,
        Precondition precondition) {

    /** No hints: size unknown, no time, no hashes, no precondition. */
    public static final WriteHints NONE = new WriteHints(-1, Optional.empty(), Map.of(), Precondition.NONE);

    /**
     * What a conditional write expects at its path.
     *
     * @param mustBeAbsent nothing may be there (S3 {@code If-None-Match: *})
     * @param expectedVersion the version token ({@link Entry#version()}) the file must still have
     *     (S3 {@code If-Match}, WebDAV {@code If-Match})
     */
    public record Precondition(boolean mustBeAbsent, Optional<String> expectedVersion) {

        /** Write whatever is there. */
        public static final Precondition NONE = new Precondition(false, Optional.empty());

        /** Validates. */
        public Precondition {
            if (mustBeAbsent && expectedVersion.isPresent()) {
                throw new IllegalArgumentException("a file cannot be both absent and at a version");
            }
        }

        /** Create only: fail if anything is at the path. */
        public static Precondition absent() {
            return new Precondition(true, Optional.empty());
        }

        /** Replace only the file at this version token. */
        public static Precondition version(String versionToken) {
            return new Precondition(false, Optional.of(versionToken));
        }

        /** Whether there is any condition at all. */
        public boolean isNone() {
            return !mustBeAbsent && expectedVersion.isEmpty();
        }
    }

    /** Validates and copies. */
    public WriteHints {
        if (size < -1) {
            throw new IllegalArgumentException("size < -1");
        }
        hashes = Map.copyOf(hashes);
    }

    /** Hints for content of a known size. */
    public static WriteHints ofSize(long size) {
        return new WriteHints(size, Optional.empty(), Map.of(), Precondition.NONE);
    }

    /** Hints taken from a source entry: its size, modification time and known hashes. */
    public static WriteHints from(Entry source) {
        return new WriteHints(source.size(), source.modTime(), source.hashes(), Precondition.NONE);
    }

    /** A copy with the modification time set. */
    public WriteHints withModTime(Instant time) {
        return new WriteHints(size, Optional.of(time), hashes, precondition);
    }

    /** A copy with one more known hash. */
    public WriteHints withHash(HashAlgorithm algorithm, String hex) {
        Map<HashAlgorithm, String> m = new EnumMap<>(HashAlgorithm.class);
        m.putAll(hashes);
        m.put(algorithm, algorithm.normalize(hex));
        return new WriteHints(size, modTime, m, precondition);
    }

    /** A copy with a precondition. */
    public WriteHints withPrecondition(Precondition condition) {
        return new WriteHints(size, modTime, hashes, condition);
    }
}
