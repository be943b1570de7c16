package dev.ferry.api;

import java.io.IOException;
import java.util.Optional;

/**
 * Ability: compute a file's hash on request, where listings don't carry it (a local disk reads
 * the file; an FTP server answers HASH or XMD5). May be expensive: the engine asks only when a
 * comparison needs it.
 */
public interface Hasher {
    /** The hash, lowercase hex, or empty if the target cannot give this algorithm. */
    Optional<String> hash(SyncPath path, HashAlgorithm algorithm) throws IOException;
}
