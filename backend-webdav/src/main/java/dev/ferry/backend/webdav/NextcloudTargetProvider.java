package dev.ferry.backend.webdav;

/**
 * The {@code nextcloud} scheme: {@code nextcloud://host[:port]/userid[/path]} is
 * {@code https://host/remote.php/dav/files/userid/path}, with an app password in the
 * {@code password} option. Modification times through {@code X-OC-Mtime}, SHA-1 checksums through
 * {@code OC-Checksum}, chunked upload v2 for large files, resumable writes.
 */
public final class NextcloudTargetProvider extends DavProvider {

    /** For {@link java.util.ServiceLoader}. */
    public NextcloudTargetProvider() {
        super("nextcloud", "Nextcloud folder over WebDAV: X-OC-Mtime times, OC-Checksum SHA-1, chunked upload v2",
                WebDavOptions.Kind.NEXTCLOUD);
    }
}
