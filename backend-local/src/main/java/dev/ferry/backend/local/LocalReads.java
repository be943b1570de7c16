package dev.ferry.backend.local;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.SyncPath;
import dev.ferry.backend.support.TemporaryNames;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Reading: stat, open from an offset, and hashes computed from the content on request. */
final class LocalReads {

    /** Copy buffer: large enough for few system calls, small enough to keep memory bounded. */
    static final int BUFFER_SIZE = 64 * 1024;

    static final Set<HashAlgorithm> HASHES =
            EnumSet.of(HashAlgorithm.MD5, HashAlgorithm.SHA1, HashAlgorithm.SHA256, HashAlgorithm.CRC32);

    private final LocalFiles fs;

    LocalReads(LocalFiles fs) {
        this.fs = fs;
    }

    Optional<Entry> stat(SyncPath path) throws IOException {
        if (!path.isRoot() && TemporaryNames.isTemporary(path.name())) {
            return Optional.empty(); // hidden from listings, so hidden here too
        }
        return fs.entryAt(path, fs.resolve(path, false, "stat"), "stat");
    }

    InputStream open(SyncPath path, long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        Path p = fs.resolve(path, true, "read");
        fs.requireRegularFile(path, p, "read", LocalFiles.FOLLOW);
        // A FileInputStream, not a channel stream: a copy to another local file can then go
        // through the kernel (see the engine's transfer stream).
        FileInputStream in = null;
        try {
            in = new FileInputStream(p.toFile());
            in.getChannel().position(offset);
            return in;
        } catch (IOException e) {
            LocalFiles.closeQuietly(in, e);
            throw fs.map(e, "read", path);
        }
    }

    /** Reads the whole file through the digest; never from a cache, so a result is always current. */
    Optional<String> hash(SyncPath path, HashAlgorithm algorithm) throws IOException {
        if (!HASHES.contains(algorithm)) {
            return Optional.empty();
        }
        MessageDigest digest = algorithm.newDigest();
        byte[] buffer = new byte[BUFFER_SIZE];
        try (InputStream in = open(path, 0)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw fs.map(e, "hash", path);
        }
        return Optional.of(HashAlgorithm.hex(digest.digest()));
    }
}
