package dev.ferry.backend.s3;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What a target knows about one object: its entry from a HEAD (or a GET's headers), built the
 * same way everywhere, rclone's metadata for a new object, and the MD5s a write needs.
 */
final class ObjectInfo {

    /** An object without rclone's mtime has its upload time, which S3 gives to the second. */
    private static final Duration TIME_OF_UPLOAD_PRECISION = Duration.ofSeconds(1);

    private final Bucket b;

    ObjectInfo(Bucket b) {
        this.b = b;
    }

    Optional<Entry> stat(SyncPath path) throws IOException {
        if (path.isRoot()) {
            return Optional.of(Entry.directory(path).build());
        }
        Optional<Entry> file = headFile(path, "stat");
        if (file.isPresent()) {
            return file;
        }
        try {
            ListObjectsV2Response r = b.client.listObjectsV2(q -> q.bucket(b.name).prefix(b.dirPrefix(path)).maxKeys(1));
            boolean found = !r.contents().isEmpty() || !r.commonPrefixes().isEmpty()
                    || b.options.directoryMarkers() && markerExists(path);
            return found ? Optional.of(Entry.directory(path).build()) : Optional.empty();
        } catch (SdkException e) {
            throw S3Errors.map(e, "stat", b.at(path));
        }
    }

    /** The object at the path's key (a HEAD), if there is one; directories below it are not looked for. */
    Optional<Entry> headFile(SyncPath path, String action) throws IOException {
        try {
            HeadObjectResponse h = b.client.headObject(r -> r.bucket(b.name).key(b.key(path)));
            return Optional.of(fileEntry(path, h.contentLength(), h.metadata(), h.eTag(), h.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw S3Errors.map(e, action, b.at(path));
        } catch (SdkException e) {
            throw S3Errors.map(e, action, b.at(path));
        }
    }

    /** Whether an empty directory's {@code dir/} marker is there (some stores don't list it under its own prefix). */
    boolean markerExists(SyncPath directory) throws IOException {
        try {
            b.client.headObject(r -> r.bucket(b.name).key(b.dirPrefix(directory)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw S3Errors.map(e, "list", b.at(directory));
        } catch (SdkException e) {
            throw S3Errors.map(e, "list", b.at(directory));
        }
    }

    /** A file as a HEAD or a GET describes it: rclone's mtime, else the upload time; md5chksum, else a single-part ETag. */
    Entry fileEntry(SyncPath path, Long size, Map<String, String> metadata, String etag, Instant lastModified) {
        Map<String, String> meta = caseInsensitive(metadata);
        Entry.Builder e = Entry.file(path, size == null ? 0 : size).version(etag);
        Optional<Instant> mtime = RcloneMeta.parseTime(meta.get(RcloneMeta.MTIME));
        if (mtime.isPresent()) {
            e.modTime(mtime.get());
        } else if (lastModified != null) {
            e.modTime(lastModified).modTimePrecision(TIME_OF_UPLOAD_PRECISION);
        }
        Optional<String> md5 = RcloneMeta.md5Hex(meta.get(RcloneMeta.MD5));
        if (md5.isEmpty() && b.etagIsMd5()) {
            md5 = RcloneMeta.md5OfEtag(etag);
        }
        md5.ifPresent(h -> e.hash(HashAlgorithm.MD5, h));
        RcloneMeta.parseMode(meta.get(RcloneMeta.MODE)).ifPresent(e::mode);
        return e.build();
    }

    Optional<String> hash(SyncPath path, HashAlgorithm algorithm) throws IOException {
        if (algorithm != HashAlgorithm.MD5) {
            return Optional.empty();
        }
        return stat(path).filter(Entry::isFile).flatMap(e -> e.hash(HashAlgorithm.MD5));
    }

    static Map<String, String> caseInsensitive(Map<String, String> m) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (m != null) {
            out.putAll(m);
        }
        return out;
    }

    /** rclone's metadata of a new object: its mtime, md5chksum when given, and its mode when given. */
    static Map<String, String> metadataFor(WriteHints hints, Optional<String> md5Hex) {
        Map<String, String> meta = new HashMap<>();
        hints.modTime().ifPresent(t -> meta.put(RcloneMeta.MTIME, RcloneMeta.formatTime(t)));
        md5Hex.ifPresent(h -> meta.put(RcloneMeta.MD5, RcloneMeta.md5Base64(h)));
        hints.mode().ifPresent(m -> meta.put(RcloneMeta.MODE, RcloneMeta.formatMode(m)));
        return meta;
    }

    /** The entry a write returns: what was sent, as the store now holds it. */
    static Entry written(SyncPath path, long size, WriteHints hints, String md5, String etag) {
        Entry.Builder e = Entry.file(path, size).version(etag);
        if (md5 != null) {
            e.hash(HashAlgorithm.MD5, md5);
        }
        hints.modTime().ifPresent(e::modTime);
        hints.mode().ifPresent(e::mode);
        return e.build();
    }

    /** The MD5 in the hints as its 16 bytes, if there is one and it is well formed. */
    static Optional<byte[]> hintedMd5(WriteHints hints) {
        String hex = hints.hashes().get(HashAlgorithm.MD5);
        if (hex == null || !hex.matches("[0-9a-fA-F]{32}")) {
            return Optional.empty();
        }
        return Optional.of(HexFormat.of().parseHex(hex));
    }

    static byte[] md5(byte[] buf, int len) {
        MessageDigest md = HashAlgorithm.MD5.newDigest();
        md.update(buf, 0, len);
        return md.digest();
    }
}
