package dev.ferry.api;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

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
 * @param precondition what must be at the path for the write to go ahead, else the write fails
 *     with {@link PreconditionFailedException} and leaves the path as it is. A target whose store
 *     {@linkplain Capabilities#conditionalWrites() checks it atomically} leaves no window; any
 *     other checks it as late as it can, just before the new content becomes visible, and says
 *     in its documentation what window remains
 * @param mode POSIX permission bits to give the file, kept by targets with {@link PosixModes}
 */
public record WriteHints(long size, Optional<Instant> modTime, Map<HashAlgorithm, String> hashes,
        Precondition precondition, OptionalInt mode) {

    /** No hints: size unknown, no time, no hashes, no precondition, no mode. */
    public static final WriteHints NONE = new WriteHints(-1, Optional.empty(), Map.of(), Precondition.NONE);

    /** Hints without a mode. */
    public WriteHints(long size, Optional<Instant> modTime, Map<HashAlgorithm, String> hashes,
            Precondition precondition) {
        this(size, modTime, hashes, precondition, OptionalInt.empty());
    }

    /**
     * What a conditional write expects at its path. A target checks it as late as it can: with
     * the store's own conditional request where there is one (S3 and WebDAV {@code If-Match} /
     * {@code If-None-Match}), else by taking the current file aside and comparing it before the
     * new content is put in (a local disk, FTP). A mismatch fails with
     * {@link PreconditionFailedException} and leaves whatever is at the path in place.
     *
     * @param mustBeAbsent nothing may be there (S3 {@code If-None-Match: *})
     * @param expectedVersion the version token ({@link Entry#version()}) the file must still have
     *     (S3 {@code If-Match}, WebDAV {@code If-Match})
     * @param expected the file as the plan saw it: the write goes ahead only while the path still
     *     holds a file of that size, with that time to the listing's precision (where it had one)
     *     and that version token (where it had one); a user's edit made while the new content was
     *     being sent is never replaced
     */
    public record Precondition(boolean mustBeAbsent, Optional<String> expectedVersion, Optional<Entry> expected) {

        /** Write whatever is there. */
        public static final Precondition NONE = new Precondition(false, Optional.empty(), Optional.empty());

        /** Validates. */
        public Precondition {
            if (mustBeAbsent && (expectedVersion.isPresent() || expected.isPresent())) {
                throw new IllegalArgumentException("a file cannot be both absent and at a version");
            }
            if (expected.isPresent() && !expected.get().isFile()) {
                throw new IllegalArgumentException("only a file can be expected: " + expected.get().path());
            }
        }

        /** A condition on absence or a version token only. */
        public Precondition(boolean mustBeAbsent, Optional<String> expectedVersion) {
            this(mustBeAbsent, expectedVersion, Optional.empty());
        }

        /** Create only: fail if anything is at the path. */
        public static Precondition absent() {
            return new Precondition(true, Optional.empty(), Optional.empty());
        }

        /** Replace only the file at this version token. */
        public static Precondition version(String versionToken) {
            return new Precondition(false, Optional.of(versionToken), Optional.empty());
        }

        /**
         * Replace only the file the plan saw: same size, same time where it had one, same
         * version token where it had one (the token then also goes to the store's conditional
         * request).
         */
        public static Precondition unchanged(Entry listed) {
            return new Precondition(false, listed.version(), Optional.of(listed));
        }

        /** Whether there is any condition at all. */
        public boolean isNone() {
            return !mustBeAbsent && expectedVersion.isEmpty() && expected.isEmpty();
        }

        /**
         * Whether {@code now}, what the path holds at the moment of the check, satisfies this
         * condition. A target without a conditional request of its own checks with this.
         */
        public boolean matches(Optional<Entry> now) {
            if (mustBeAbsent) {
                return now.isEmpty();
            }
            if (expectedVersion.isPresent() && (now.isEmpty() || !now.get().version().equals(expectedVersion))) {
                return false;
            }
            if (expected.isPresent()) {
                Entry e = expected.get();
                if (now.isEmpty() || !now.get().isFile() || now.get().size() != e.size()) {
                    return false;
                }
                if (e.modTime().isPresent() && now.get().modTime().isPresent()
                        && !sameTime(e.modTime().get(), e.modTimePrecision(), now.get().modTime().get())) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Whether {@code seen} is the time a listing showed as {@code listed}, to that listing's
         * precision: an FTP LIST that shows the minute lists 12:05 for a file a stat says is
         * 12:05:42, and that is the same file.
         */
        private static boolean sameTime(Instant listed, java.time.Duration precision, Instant seen) {
            return seen.equals(listed) || !seen.isBefore(listed) && seen.isBefore(listed.plus(precision));
        }
    }

    /** Validates and copies. */
    public WriteHints {
        if (size < -1) {
            throw new IllegalArgumentException("size < -1");
        }
        hashes = Map.copyOf(hashes);
        if (mode.isPresent() && (mode.getAsInt() < 0 || mode.getAsInt() > 07777)) {
            throw new IllegalArgumentException("a mode is 0 to 07777: " + Integer.toOctalString(mode.getAsInt()));
        }
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
        return new WriteHints(size, Optional.of(time), hashes, precondition, mode);
    }

    /** A copy with one more known hash. */
    public WriteHints withHash(HashAlgorithm algorithm, String hex) {
        Map<HashAlgorithm, String> m = new EnumMap<>(HashAlgorithm.class);
        m.putAll(hashes);
        m.put(algorithm, algorithm.normalize(hex));
        return new WriteHints(size, modTime, m, precondition, mode);
    }

    /** A copy with a precondition. */
    public WriteHints withPrecondition(Precondition condition) {
        return new WriteHints(size, modTime, hashes, condition, mode);
    }

    /**
     * A copy asking for these POSIX permission bits on the written file. Only a target with the
     * {@link PosixModes} ability keeps them; others ignore the hint.
     */
    public WriteHints withMode(int posixMode) {
        return new WriteHints(size, modTime, hashes, precondition, OptionalInt.of(posixMode));
    }
}
