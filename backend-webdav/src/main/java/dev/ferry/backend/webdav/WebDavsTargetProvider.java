package dev.ferry.backend.webdav;

/**
 * The {@code webdavs} scheme: {@code webdavs://user@host[:port]/path} over https, the certificate
 * verified against the JVM's trust store; password in the {@code password} option.
 */
public final class WebDavsTargetProvider extends DavProvider {

    /** For {@link java.util.ServiceLoader}. */
    public WebDavsTargetProvider() {
        super("webdavs", "WebDAV server over https (Apache mod_dav, rclone serve, NAS): atomic uploads via MOVE, "
                + "PROPFIND listings", WebDavOptions.Kind.GENERIC);
    }
}
