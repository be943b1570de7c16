package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One destination of a {@link TargetPair}: the place one tool syncs into. Every tool gets its own
 * destination so that the tools never see each other's output.
 */
interface Destination {

    /** What Ferry's CLI is given as DST (a path or a URI such as {@code s3://bucket/prefix}). */
    String ferryUri();

    /** What rclone is given as DST (a path or a remote spec such as {@code bench-s3:bucket/prefix}). */
    String rcloneSpec();

    /**
     * A local directory that holds exactly what the destination stores, used only to verify a run
     * (the directory itself for a local pair; a server's storage directory for a loopback server).
     */
    Path view();

    /** Makes the destination exist and be empty. Not timed. */
    void clear() throws IOException;
}
