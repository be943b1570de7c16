package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One destination of a {@link TargetPair}: the place one tool syncs into. Every tool gets its own
 * destination so that the tools never see each other's output.
 *
 * @param ferryUri what Ferry's CLI is given as DST (a path or a URI such as {@code s3://bucket/prefix})
 * @param rcloneSpec what rclone is given as DST (a path or a remote spec such as {@code bench-s3:bucket/prefix})
 * @param view a local directory that holds exactly what the destination stores, used only to
 *     verify a run (the directory itself for a local pair; a server's storage directory for a
 *     loopback server)
 * @param maker how {@code view} is made (a server that drops privileges needs it owned by its user)
 */
record Destination(String ferryUri, String rcloneSpec, Path view, DirectoryMaker maker) {

    /** Makes an empty directory the destination's server can write. */
    interface DirectoryMaker {
        void make(Path dir) throws IOException;
    }

    /** A destination whose view is made with plain {@link Files#createDirectories}. */
    Destination(String ferryUri, String rcloneSpec, Path view) {
        this(ferryUri, rcloneSpec, view, Files::createDirectories);
    }

    /** Makes the destination exist and be empty. Not timed. */
    void clear() throws IOException {
        Fs.deleteRecursively(view);
        maker.make(view);
    }
}
