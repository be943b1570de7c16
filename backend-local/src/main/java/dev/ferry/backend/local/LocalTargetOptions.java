package dev.ferry.backend.local;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link LocalTarget}.
 *
 * @param followSymlinks whether symbolic links whose real path stays inside the root are followed
 *     (links leading outside are never followed)
 * @param fsync whether each write is forced to the device (file and directory) before it returns
 * @param tempMaxAge how long a leftover temporary file must have been untouched before a listing
 *     deletes it
 */
public record LocalTargetOptions(boolean followSymlinks, boolean fsync, Duration tempMaxAge) {

    /** Links not followed, no fsync, temporary files swept after an hour. */
    public static final LocalTargetOptions DEFAULTS = new LocalTargetOptions(false, false, Duration.ofHours(1));

    /** Validates. */
    public LocalTargetOptions {
        Objects.requireNonNull(tempMaxAge, "tempMaxAge");
        if (tempMaxAge.isNegative() || tempMaxAge.isZero()) {
            throw new IllegalArgumentException("tempMaxAge must be positive: " + tempMaxAge);
        }
    }

    /** A copy with {@code followSymlinks} set. */
    public LocalTargetOptions withFollowSymlinks(boolean follow) {
        return new LocalTargetOptions(follow, fsync, tempMaxAge);
    }

    /** A copy with {@code fsync} set. */
    public LocalTargetOptions withFsync(boolean sync) {
        return new LocalTargetOptions(followSymlinks, sync, tempMaxAge);
    }

    /** A copy with {@code tempMaxAge} set. */
    public LocalTargetOptions withTempMaxAge(Duration age) {
        return new LocalTargetOptions(followSymlinks, fsync, age);
    }
}
