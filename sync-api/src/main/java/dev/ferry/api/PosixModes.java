package dev.ferry.api;

import java.io.IOException;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * The ability to keep POSIX permission bits ({@code 0755}, {@code 0600}) with files: a write
 * stores {@link WriteHints#mode()}, and {@link Entry#mode()} returns what is kept. A target
 * without this ability ignores modes (WebDAV has no place for them), and the engine then leaves
 * the reading side's umask to decide.
 *
 * <p>Where the modes live differs: a local disk and an SFTP or FTP server set them on the file,
 * S3 keeps them as object metadata ({@code x-amz-meta-mode}, octal, as rclone does) that a plain
 * listing does not return.
 */
public interface PosixModes {

    /**
     * Whether listings carry {@link Entry#mode()}. When false, only {@link SyncTarget#stat} and
     * {@link DescribedReader} reads tell it (S3: a listing has no object metadata).
     */
    boolean listsModes();

    /** Whether directories have modes here ({@link #setDirectoryMode}); S3 has no directories. */
    boolean keepsDirectoryModes();

    /**
     * Sets the mode of an existing directory.
     *
     * @throws UnsupportedOperationException where {@link #keepsDirectoryModes()} is false
     * @throws NotFoundException if there is no directory at {@code directory}
     */
    default void setDirectoryMode(SyncPath directory, int mode) throws IOException {
        throw new UnsupportedOperationException("this target keeps no directory modes");
    }

    /** {@code mode}'s low nine bits as the JDK's permission set (setuid, setgid and sticky are left out). */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    /** The mode bits of a JDK permission set. */
    static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= switch (p) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        return mode;
    }
}
