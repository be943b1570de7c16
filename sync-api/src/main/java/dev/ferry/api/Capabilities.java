package dev.ferry.api;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a target can keep and tell, so the engine compares files in a way that works for both
 * sides. Abilities that come with an operation (server-side copy, move, append, setting a
 * modification time, computing a hash) are not flags here but small interfaces the target also
 * implements; ask for them with {@link SyncTarget#ability(Class)}.
 *
 * @param keepsModTime whether a write stores {@link WriteHints#modTime()} so a later listing
 *     returns it (false for plain WebDAV servers, where the upload time wins)
 * @param modTimePrecision how finely modification times are kept (1 ns, 1 s, 2 s on FAT...)
 * @param hashes algorithms the target can give for a file, in listings or through {@link Hasher}
 * @param caseSensitive whether {@code A.txt} and {@code a.txt} are two different files
 * @param maxNameLength longest name in UTF-8 bytes the target accepts; 0 when unlimited
 * @param conditionalWrites whether {@link WriteHints#precondition()} is honoured atomically by
 *     the server, so a concurrent writer is detected instead of overwritten
 * @param listsModTimes whether listings carry the kept modification times; false when a time
 *     costs a request per file (S3 keeps it in per-object metadata), so {@link SyncTarget#stat}
 *     must be asked. The engine then asks only for files it cannot judge otherwise
 */
public record Capabilities(
        boolean keepsModTime,
        Duration modTimePrecision,
        Set<HashAlgorithm> hashes,
        boolean caseSensitive,
        int maxNameLength,
        boolean conditionalWrites,
        boolean listsModTimes) {

    /** Validates and copies. */
    public Capabilities {
        if (modTimePrecision.isNegative() || modTimePrecision.isZero()) {
            throw new IllegalArgumentException("precision must be positive: " + modTimePrecision);
        }
        hashes = hashes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(hashes));
        if (maxNameLength < 0) {
            throw new IllegalArgumentException("maxNameLength < 0");
        }
    }

    /**
     * A builder starting from: keeps mtime to 1 ns and lists it, no hashes, case-sensitive,
     * 255-byte names, no conditional writes.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link Capabilities}. */
    public static final class Builder {
        private boolean keepsModTime = true;
        private Duration modTimePrecision = Duration.ofNanos(1);
        private Set<HashAlgorithm> hashes = EnumSet.noneOf(HashAlgorithm.class);
        private boolean caseSensitive = true;
        private int maxNameLength = 255;
        private boolean conditionalWrites;
        private boolean listsModTimes = true;

        private Builder() {}

        /** Whether writes keep the given modification time. */
        public Builder keepsModTime(boolean keeps) {
            this.keepsModTime = keeps;
            return this;
        }

        /** How finely modification times are kept. */
        public Builder modTimePrecision(Duration precision) {
            this.modTimePrecision = precision;
            return this;
        }

        /** The hash algorithms the target can give. */
        public Builder hashes(Set<HashAlgorithm> hashes) {
            this.hashes = hashes.isEmpty() ? EnumSet.noneOf(HashAlgorithm.class) : EnumSet.copyOf(hashes);
            return this;
        }

        /** Whether names differing only in case are different files. */
        public Builder caseSensitive(boolean caseSensitive) {
            this.caseSensitive = caseSensitive;
            return this;
        }

        /** Longest name in UTF-8 bytes; 0 for unlimited. */
        public Builder maxNameLength(int maxNameLength) {
            this.maxNameLength = maxNameLength;
            return this;
        }

        /** Whether write preconditions are honoured. */
        public Builder conditionalWrites(boolean honoured) {
            this.conditionalWrites = honoured;
            return this;
        }

        /** Whether listings carry modification times (else only {@code stat} gives them). */
        public Builder listsModTimes(boolean lists) {
            this.listsModTimes = lists;
            return this;
        }

        /** The capabilities. */
        public Capabilities build() {
            return new Capabilities(keepsModTime, modTimePrecision, hashes, caseSensitive, maxNameLength,
                    conditionalWrites, listsModTimes);
        }
    }
}
