package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the benchmark syncs to: the source is always a local directory; the destination is
 * whatever the pair provides (local disk now; S3, FTP, WebDAV servers on loopback later).
 * A pair that needs a server starts it in {@link #start} and stops it in {@link #close}.
 */
interface TargetPair extends AutoCloseable {

    /** Short name, used in result file names ({@code local} gives {@code results/local-<time>.md}). */
    String name();

    /** One line for the report, e.g. "local disk → local disk (same filesystem)". */
    String describe();

    /** Starts whatever the pair needs. Called once before any destination is used. */
    default void start() throws IOException {
    }

    /** The destination a tool syncs one dataset into; {@code slot} is unique per dataset and tool. */
    Destination destination(String slot) throws IOException;

    /** Remote definitions appended to the rclone config file (empty for local paths). */
    default String rcloneConfig() {
        return "";
    }

    /**
     * Whether the destination is remote, so the bench also times copying it back into an empty
     * local directory ({@link Scenario#DOWNLOAD}).
     */
    default boolean downloads() {
        return false;
    }

    /** Environment variables every tool run gets (a config file location, say); never secrets on a command line. */
    default java.util.Map<String, String> toolEnv() {
        return java.util.Map.of();
    }

    /**
     * A local directory holding the destination's files as the source had them, to verify a run:
     * the view itself, or a decrypted copy of it ({@link CryptPair}). Not timed.
     */
    default Path plainView(Destination d) throws IOException {
        return d.view();
    }

    /** Whether {@code cp -r} into {@link Destination#view()} is a meaningful throughput reference. */
    boolean hasCpReference();

    /**
     * The throughput reference timed beside the tools on the large initial sync: {@code cp -r}
     * where {@link #hasCpReference()}, else what the pair offers ({@code scp} for SFTP), or none.
     */
    default java.util.Optional<Tool> reference() {
        return hasCpReference() ? java.util.Optional.of(Tool.cp()) : java.util.Optional.empty();
    }

    @Override
    default void close() throws IOException {
    }

    /** The pair named on the command line, its destinations wrapped in {@code crypt:} with {@code crypt}. */
    static TargetPair create(String name, Path work, boolean crypt) {
        TargetPair pair = create(name, work);
        return crypt ? new CryptPair(pair, work.resolve("dst").resolve("crypt")) : pair;
    }

    /** The pair named on the command line. */
    static TargetPair create(String name, Path work) {
        return switch (name) {
            case "local" -> new LocalPair(work.resolve("dst").resolve("local"));
            case "ftp" -> new FtpPair(work.resolve("dst").resolve("ftp"));
            case "s3" -> new S3Pair(work.resolve("dst").resolve("s3"));
            case "webdav" -> new WebDavPair(work.resolve("dst").resolve("webdav"));
            case "sftp" -> new SftpPair(work.resolve("dst").resolve("sftp"));
            default -> throw new IllegalArgumentException(
                    "unknown target pair '" + name + "' (implemented: local, ftp, s3, webdav, sftp)");
        };
    }
}
