package dev.ferry.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A named sync configuration between a local folder and a remote place, kept in Ferry's config
 * file by {@link PairStore}: {@code data: /data <-> s3://bucket/sync/me/data}. {@code push}
 * mirrors the local folder to the remote (always explicit), {@code pull} brings the remote down.
 *
 * @param name the pair's name ({@code default} is the one a bare push or pull uses)
 * @param local the local folder, an absolute path
 * @param remote the remote location: a URI or {@code remote:path}
 * @param filters filter rules in order, each {@code +GLOB} (include) or {@code -GLOB} (exclude)
 * @param pull what a pull does: copy (delete nothing locally) or mirror
 * @param keepModes whether POSIX modes travel with the files (on by default)
 * @param passphrase a reference to the encryption passphrase ({@code env:VAR}), when the remote
 *     side is encrypted; never the passphrase itself unless the user asked for that
 */
public record SyncPair(String name, String local, String remote, List<String> filters, SyncMode pull,
        boolean keepModes, Optional<String> passphrase) {

    /** Validates and copies. */
    public SyncPair {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        filters = List.copyOf(filters);
        Filter.builder().rules(filters); // each rule signed and its glob well formed
        if (pull != SyncMode.COPY && pull != SyncMode.MIRROR) {
            throw new IllegalArgumentException("a pull copies or mirrors, not " + pull);
        }
        Objects.requireNonNull(passphrase, "passphrase");
    }

    /** A pair with the defaults: no filters, pull copies, modes kept, no encryption. */
    public static SyncPair of(String name, String local, String remote) {
        return new SyncPair(name, local, remote, List.of(), SyncMode.COPY, true, Optional.empty());
    }

    /** The pair's filter rules as a {@link Filter}, for {@link SyncOptions.Builder#filter}. */
    public Filter filter() {
        return Filter.builder().rules(filters).build();
    }

    /** {@code NAME: LOCAL <-> REMOTE}, as {@code ferry pair list} prints it. */
    public String line() {
        return name + ": " + local + " <-> " + SyncTargets.redact(remote);
    }

    @Override
    public String toString() {
        return "SyncPair[" + line() + "]";
    }
}
