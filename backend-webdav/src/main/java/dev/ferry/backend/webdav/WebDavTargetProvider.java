package dev.ferry.backend.webdav;

/**
 * The {@code webdav} scheme: {@code webdav://user@host[:port]/path} over plain http, password in
 * the {@code password} option. See {@link WebDavsTargetProvider} for https and
 * {@link NextcloudTargetProvider} for Nextcloud.
 */
public final class WebDavTargetProvider extends DavProvider {

    /** For {@link java.util.ServiceLoader}. */
    public WebDavTargetProvider() {
        super("webdav", "WebDAV server over http (Apache mod_dav, rclone serve, NAS): atomic uploads via MOVE, "
                + "PROPFIND listings", WebDavOptions.Kind.GENERIC);
    }
}
