/**
 * The {@code webdav}, {@code webdavs} and {@code nextcloud} schemes, on Sardine's HTTP client:
 * PROPFIND Depth 1 listings parsed as they stream, atomic uploads (temporary name and a
 * conditional MOVE on generic servers; Nextcloud's own atomic PUT with If-Match and chunked upload
 * v2), Nextcloud's X-OC-Mtime, OC-Checksum and oc:permissions, server-side COPY and MOVE.
 * {@link dev.ferry.backend.webdav.WebDavTarget} is the facade over these parts.
 */
package dev.ferry.backend.webdav;
