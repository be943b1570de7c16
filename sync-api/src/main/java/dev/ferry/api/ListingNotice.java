package dev.ferry.api;

/**
 * A thing a listing left out, and why: the engine reports errors as failures of the run and
 * the rest as events.
 *
 * @param location where, as the target names it (for a hostile name: the raw name as listed,
 *     never resolved against a root)
 * @param reason why it was left out
 * @param detail a human-readable explanation
 */
public record ListingNotice(String location, Reason reason, String detail) {

    /** Why a listing left something out. */
    public enum Reason {
        /** The name would not be a safe path ({@code ..}, a slash or backslash, NUL...). An error. */
        HOSTILE_NAME(true),
        /** The entry could not be read; its content is unknown this run. An error. */
        UNREADABLE(true),
        /** A symbolic link not followed, or one leading outside the root. */
        SYMLINK(false),
        /** A device, socket or pipe. */
        SPECIAL_FILE(false),
        /** A half-written file of an interrupted transfer, hidden from listings. */
        TEMPORARY_FILE(false),
        /**
         * A name this process cannot represent as text: bytes that are not valid UTF-8, or a
         * locale whose encoding cannot spell it (a JVM started under the POSIX locale). The
         * {@linkplain ListingNotice#location() location} is the name as decoded, replacement
         * characters included. The engine leaves that name out of the plan on both sides and
         * never reads its absence as a deletion.
         */
        UNREPRESENTABLE_NAME(false);

        private final boolean error;

        Reason(boolean error) {
            this.error = error;
        }

        /** Whether this counts as a failure of the run. */
        public boolean isError() {
            return error;
        }
    }

    /**
     * A name listed in {@code directory} that is not a safe path segment. The location is the
     * directory and the raw name joined for display; it is never resolved against a root.
     */
    public static ListingNotice hostileName(SyncPath directory, String rawName, String detail) {
        return new ListingNotice(directory.isRoot() ? rawName : directory + "/" + rawName, Reason.HOSTILE_NAME, detail);
    }

    /**
     * A name listed in {@code directory} that cannot be represented as text; {@code decodedName}
     * is what the platform made of it (with replacement characters).
     */
    public static ListingNotice unrepresentableName(SyncPath directory, String decodedName, String detail) {
        return new ListingNotice(directory.isRoot() ? decodedName : directory + "/" + decodedName,
                Reason.UNREPRESENTABLE_NAME, detail);
    }
}
