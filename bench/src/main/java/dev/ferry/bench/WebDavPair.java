package dev.ferry.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;

/**
 * Local directory → Apache httpd with mod_dav and mod_dav_fs on a loopback port, the same server
 * for both tools. httpd (Debian {@code apache2}) runs as its own instance with its own config
 * (no system service), serving a DAV root without authentication: only 127.0.0.1 can reach it.
 * It keeps no modification times, so both tools compare by size (rclone) or by what they
 * remember (Ferry). The server's storage directory is the destination's local view.
 *
 * <p>The httpd config mirrors {@code backend-webdav}'s test servers; it is duplicated here
 * (a few lines) because test code of another module cannot be a dependency of bench.
 */
final class WebDavPair implements TargetPair {
    private static final Path APACHE = Path.of("/usr/sbin/apache2");
    private static final String MODULES = "/usr/lib/apache2/modules/";

    private final Path work;
    private final Path dav;
    private Process server;
    private int port;
    private UserPrincipal owner;

    WebDavPair(Path work) {
        this.work = work.toAbsolutePath().normalize();
        this.dav = this.work.resolve("dav");
    }

    @Override
    public String name() {
        return "webdav";
    }

    @Override
    public String describe() {
        return "local → WebDAV (Apache httpd mod_dav on 127.0.0.1, keeps no mtimes; both tools against the same server)";
    }

    @Override
    public void start() throws IOException {
        if (!Files.isExecutable(APACHE)) {
            throw new IOException("the webdav pair needs Apache httpd: apt-get install -y apache2");
        }
        Fs.deleteRecursively(work);
        Path lock = work.resolve("lock");
        Files.createDirectories(dav);
        Files.createDirectories(lock);
        // Started as root, httpd serves as www-data: it must reach and write the DAV root and lock db.
        for (Path p = work; p != null && p.startsWith(work.getParent()); p = p.getParent()) {
            addTraverse(p);
        }
        try {
            owner = work.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("www-data");
            Files.setOwner(dav, owner);
            Files.setOwner(lock, owner);
        } catch (IOException e) {
            owner = null; // not root: httpd runs as us
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        String conf = String.join("\n",
                "ServerRoot " + work, "Listen 127.0.0.1:" + port, "ServerName 127.0.0.1",
                "PidFile " + work.resolve("httpd.pid"), "Mutex file:" + work, "DefaultRuntimeDir " + work,
                "LoadModule mpm_event_module " + MODULES + "mod_mpm_event.so",
                "LoadModule authz_core_module " + MODULES + "mod_authz_core.so",
                "LoadModule dav_module " + MODULES + "mod_dav.so",
                "LoadModule dav_fs_module " + MODULES + "mod_dav_fs.so",
                "User www-data", "Group www-data",
                "ErrorLog " + work.resolve("error.log"), "LogLevel warn",
                "StartServers 1", "ServerLimit 4", "ThreadsPerChild 32", "MaxRequestWorkers 128",
                "KeepAlive On", "MaxKeepAliveRequests 0", "KeepAliveTimeout 30", "LimitRequestBody 0",
                "DavLockDB " + lock.resolve("DavLock"), "DocumentRoot " + dav,
                "<Directory " + dav + ">", "  Dav On", "  Options None", "  AllowOverride None",
                "  Require all granted", "</Directory>", "");
        Path confFile = work.resolve("httpd.conf");
        Files.writeString(confFile, conf, StandardCharsets.UTF_8);
        server = new ProcessBuilder(APACHE.toString(), "-f", confFile.toString(), "-D", "FOREGROUND")
                .redirectErrorStream(true).redirectOutput(work.resolve("httpd.out").toFile()).start();
        LoopbackServer.awaitListening(server, port, Duration.ofSeconds(15), work.resolve("httpd.out"), "apache2");
    }

    private static void addTraverse(Path p) throws IOException {
        var perms = Files.getPosixFilePermissions(p);
        perms.addAll(PosixFilePermissions.fromString("--x--x--x"));
        Files.setPosixFilePermissions(p, perms);
    }

    @Override
    public Destination destination(String slot) throws IOException {
        Path dir = dav.resolve(slot);
        createOwned(dir);
        // rclone gets an on-the-fly remote: nothing in the config file.
        return new Destination("webdav://127.0.0.1:" + port + "/" + slot,
                ":webdav,url='http://127.0.0.1:" + port + "/',vendor=other:" + slot, dir, this::createOwned);
    }

    private void createOwned(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (owner != null) {
            Files.setOwner(dir, owner);
        }
    }

    @Override
    public boolean hasCpReference() {
        return false;
    }

    @Override
    public boolean downloads() {
        return true;
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            LoopbackServer.stop(server);
            server = null;
        }
    }
}
