/**
 * The {@code webdav}, {@code webdavs} and {@code nextcloud} schemes, on Sardine's HTTP client:
 * PROPFIND Depth 1 listings parsed as they stream, atomic uploads (temporary name and MOVE on
 * generic servers; Nextcloud's own atomic PUT and chunked upload v2), Nextcloud's X-OC-Mtime and
 * OC-Checksum, server-side COPY and MOVE.
 */
package dev.ferry.backend.webdav;
