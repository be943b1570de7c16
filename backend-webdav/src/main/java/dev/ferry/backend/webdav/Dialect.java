package dev.ferry.backend.webdav;

import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;

/**
 * How a kind of server is written to, chosen once at open from the scheme: generic WebDAV
 * ({@link GenericDialect}: PUT to a temporary name, MOVE into place, abilities probed) or
 * Nextcloud ({@link NextcloudDialect}: PUT straight to the path with X-OC-Mtime, OC-Checksum and
 * If-Match, chunked upload v2, abilities known). Times, checksums, conditional writes and
 * uploads differ between them; listings, reads, directories and copies do not.
 */
interface Dialect {

    /** Nextcloud refuses X-OC-Mtime values up to one day after the epoch (MtimeSanitizer). */
    long MIN_OC_MTIME = 86_401;

    /** What this server can keep and tell; never writes to find out. */
    Capabilities capabilities();

    /** Writes a file whose parent exists, honouring {@link WriteHints#precondition()} as late as the server allows. */
    Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException;

    /** The entry of a fresh server-side copy of {@code src}, with the source's time back where times are kept. */
    default Entry afterCopy(Entry src, SyncPath to, Entry copied) throws IOException {
        return copied;
    }

    /** Whether {@link #setModTime} works. */
    boolean setsModTime();

    /** Sets a file's time without sending it again. */
    Entry setModTime(SyncPath path, Instant modTime) throws IOException;

    /** Chunked uploads a later process can continue, where the server has them. */
    Optional<ResumableWriter> resumable();

    /** Capabilities both dialects start from: times to the second, case-sensitive names. */
    static Capabilities.Builder base() {
        return Capabilities.builder()
                .modTimePrecision(DavEntries.SECOND)
                .maxNameLength(TemporaryNames.MAX_NAME_BYTES)
                .caseSensitive(true);
    }

    /** X-OC-Mtime for the hinted time, where Nextcloud would accept it. */
    static Optional<String> ocMtime(WriteHints hints) {
        return hints.modTime().map(Instant::getEpochSecond).filter(s -> s >= MIN_OC_MTIME).map(String::valueOf);
    }

    /** The failure of a write whose precondition no longer holds: the file at the path stays as it is. */
    static PreconditionFailedException changed(String action, Throwable cause) {
        return new PreconditionFailedException("cannot " + action
                + ": the file changed on the server since it was listed; the version there was kept and the new "
                + "content was not put in place", cause);
    }
}
