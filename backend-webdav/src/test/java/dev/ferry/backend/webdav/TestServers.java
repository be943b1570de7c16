package dev.ferry.backend.webdav;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The real WebDAV servers the tests talk to, each started once per test JVM on a free loopback
 * port with its own configuration, and stopped by PID when the JVM exits: Apache httpd with
 * mod_dav and mod_dav_fs ({@code /usr/sbin/apache2}), {@code rclone serve webdav}, and the
 * in-process {@link NextcloudEmulator}. A missing binary gives null, for the tests to skip.
 */
final class TestServers {

    static final String USER = "ferry";
    static final String PASSWORD = dev.ferry.testkit.TestSecrets.WEBDAV_PASSWORD;
    static final Path APACHE = Path.of("/usr/sbin/apache2");
    static final Path RCLONE = Path.of("/usr/bin/rclone");

    private static final AtomicInteger DIRS = new AtomicInteger();
    private static Server apache;
    private static Server rclone;
    private static Server nextcloud;
    private static NextcloudEmulator emulator;
    private static Path apacheAccessLog;

    private TestServers() {}

    /** A running server: how to reach it, and the options a target needs. */
    record Server(String scheme, int port, String prefix, Path root, Map<String, String> options) {

        /** A location for a fresh, not yet existing directory on the server. */
        String freshLocation() {
            return scheme + "://" + USER + "@127.0.0.1:" + port + prefix + "/t" + DIRS.incrementAndGet();
        }

        /** Opens a fresh target through the ServiceLoader, as an application would. */
        SyncTarget freshTarget(Map<String, String> extra) throws IOException {
            Map<String, String> o = new TreeMap<>(options);
            o.putAll(extra);
            return SyncTargets.load().open(freshLocation(), o);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** Apache httpd with mod_dav, or null where it is not installed. */
    static synchronized Server apache() throws Exception {
        if (apache == null && Files.isExecutable(APACHE)) {
            apache = startApache();
        }
        return apache;
    }

    /** Apache httpd with mod_dav; the calling test is skipped, saying why, where it is not installed. */
    static Server apacheOrSkip() throws Exception {
        Server s = apache();
        assumeTrue(s != null, "Apache httpd (" + APACHE + ", Debian package apache2) is not installed here");
        return s;
    }

    /** Apache's access log, one "METHOD path" line per request; the calling test is skipped where Apache is missing. */
    static Path apacheAccessLogOrSkip() throws Exception {
        apacheOrSkip();
        return apacheAccessLog;
    }

    /** {@code rclone serve webdav}; the calling test is skipped, saying why, where rclone is not installed. */
    static Server rcloneOrSkip() throws Exception {
        Server s = rclone();
        assumeTrue(s != null, "rclone (" + RCLONE + ", Debian package rclone) is not installed here");
        return s;
    }

    /** {@code rclone serve webdav}, or null where rclone is not installed. */
    static synchronized Server rclone() throws Exception {
        if (rclone == null && Files.isExecutable(RCLONE)) {
            rclone = startRclone();
        }
        return rclone;
    }

    /** The in-process Nextcloud emulator (plain http), shared by the tests of one JVM. */
    static synchronized Server nextcloud() throws Exception {
        if (nextcloud == null) {
            emulator = NextcloudEmulator.start(Files.createTempDirectory("ferry-nextcloud"), USER, PASSWORD);
            Runtime.getRuntime().addShutdownHook(new Thread(emulator::stop));
            nextcloud = new Server("nextcloud", emulator.port(), "/" + USER, emulator.filesRoot(),
                    Map.of("password", PASSWORD, "plainHttp", "true", "lockRetry", "50ms"));
        }
        return nextcloud;
    }

    static synchronized NextcloudEmulator emulator() throws Exception {
        nextcloud();
        return emulator;
    }

    private static void waitForPort(int port, Process p, Path log, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(what + " did not start: " + (Files.exists(log) ? Files.readString(log) : ""));
                }
                Thread.sleep(50);
            }
        }
    }

    private static void stopOnExit(Process p) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            p.destroy(); // SIGTERM to the PID we started; httpd stops its own children
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    private static Server startApache() throws Exception {
        Path work = Files.createTempDirectory("ferry-apache");
        Path dav = work.resolve("dav");
        Path lock = work.resolve("lock");
        Files.createDirectories(dav);
        Files.createDirectories(lock);
        // Started as root, httpd serves as www-data: it must reach and write the DAV root and lock db.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        var lookup = work.getFileSystem().getUserPrincipalLookupService();
        for (Path p : new Path[] {dav, lock}) {
            try {
                Files.setOwner(p, lookup.lookupPrincipalByName("www-data"));
            } catch (IOException e) {
                // not root: httpd then runs as us and owns nothing else anyway
            }
        }
        String sha = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                .digest(PASSWORD.getBytes(StandardCharsets.UTF_8)));
        Path htpasswd = work.resolve("htpasswd");
        Files.writeString(htpasswd, USER + ":{SHA}" + sha + "\n");
        int port = freePort();
        String mods = "/usr/lib/apache2/modules/";
        String conf = String.join("\n",
                "ServerRoot " + work,
                "Listen 127.0.0.1:" + port,
                "ServerName 127.0.0.1",
                "PidFile " + work.resolve("httpd.pid"),
                "Mutex file:" + work,
                "DefaultRuntimeDir " + work,
                "LoadModule mpm_event_module " + mods + "mod_mpm_event.so",
                "LoadModule authz_core_module " + mods + "mod_authz_core.so",
                "LoadModule authz_user_module " + mods + "mod_authz_user.so",
                "LoadModule authn_core_module " + mods + "mod_authn_core.so",
                "LoadModule authn_file_module " + mods + "mod_authn_file.so",
                "LoadModule auth_basic_module " + mods + "mod_auth_basic.so",
                "LoadModule dav_module " + mods + "mod_dav.so",
                "LoadModule dav_fs_module " + mods + "mod_dav_fs.so",
                "User www-data",
                "Group www-data",
                "ErrorLog " + work.resolve("error.log"),
                "LogLevel warn",
                "CustomLog " + work.resolve("access.log") + " \"%m %U\"",
                "StartServers 1",
                "ServerLimit 4",
                "ThreadsPerChild 32",
                "MaxRequestWorkers 128",
                "KeepAlive On",
                "MaxKeepAliveRequests 0",
                "KeepAliveTimeout 30",
                "LimitRequestBody 0",
                "DavLockDB " + lock.resolve("DavLock"),
                "DocumentRoot " + dav,
                "<Directory " + dav + ">",
                "  Dav On",
                "  Options None",
                "  AllowOverride None",
                "  AuthType Basic",
                "  AuthName ferry",
                "  AuthUserFile " + htpasswd,
                "  Require valid-user",
                "</Directory>",
                "");
        apacheAccessLog = work.resolve("access.log");
        Path confFile = work.resolve("httpd.conf");
        Files.writeString(confFile, conf);
        Path log = work.resolve("httpd.out");
        Process p = new ProcessBuilder(APACHE.toString(), "-f", confFile.toString(), "-D", "FOREGROUND")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        stopOnExit(p);
        waitForPort(port, p, log, "apache2");
        return new Server("webdav", port, "", dav, Map.of("password", PASSWORD));
    }

    private static Server startRclone() throws Exception {
        Path work = Files.createTempDirectory("ferry-rclone");
        Path root = work.resolve("root");
        Files.createDirectories(root);
        Path config = work.resolve("rclone.conf");
        Files.writeString(config, "");
        int port = freePort();
        Path log = work.resolve("rclone.out");
        ProcessBuilder pb = new ProcessBuilder(RCLONE.toString(), "serve", "webdav", root.toString(),
                "--addr", "127.0.0.1:" + port, "--user", USER, "--pass", PASSWORD,
                "--config", config.toString(), "--cache-dir", work.resolve("cache").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("AWS_CA_BUNDLE");
        Process p = pb.start();
        stopOnExit(p);
        waitForPort(port, p, log, "rclone serve webdav");
        return new Server("webdav", port, "", root, Map.of("password", PASSWORD));
    }

    /** Every regular file below a server directory, for tests that look behind the server's back. */
    static long countFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
