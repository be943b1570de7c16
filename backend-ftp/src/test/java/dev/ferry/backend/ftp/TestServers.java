package dev.ferry.backend.ftp;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.TestCertificates;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ftpserver.ConnectionConfigFactory;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.ssl.SslConfigurationFactory;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginPermission;
import org.apache.ftpserver.usermanager.impl.WritePermission;

/**
 * The real FTP servers the tests talk to, each started once per test JVM on a free loopback port
 * and stopped when it exits: Apache FtpServer in-process (plain and explicit TLS, with a
 * self-signed certificate from sync-testkit's {@link TestCertificates}), and vsftpd as a child process where
 * {@code /usr/sbin/vsftpd} is installed. Each test gets a fresh directory below the server's root.
 */
public final class TestServers {

    public static final String USER = "ferry";
    public static final String PASSWORD = dev.ferry.testkit.TestSecrets.FTP_PASSWORD;
    static final Path VSFTPD = Path.of("/usr/sbin/vsftpd");
    /**
     * ProFTPD: {@code FERRY_PROFTPD} (the binary), else Debian's {@code /usr/sbin/proftpd}, else
     * {@code /opt/ferry-proftpd/usr/sbin/proftpd}. Debian's {@code proftpd-core} conflicts with
     * {@code vsftpd} (both provide ftp-server), so where vsftpd is installed the package is
     * unpacked there instead: {@code apt-get download proftpd-core; dpkg-deb -x proftpd-core_*.deb
     * /opt/ferry-proftpd} (its libraries installed). Modules are looked up beside it in
     * {@code ../lib/proftpd}.
     */
    static final Path PROFTPD = proftpdBinary();

    private static final AtomicInteger DIRS = new AtomicInteger();
    private static Server plain;
    private static Server tls;
    private static Server vsftpd;
    private static Server vsftpdTls;
    private static Server implicitTls;
    private static Server proftpd;

    private TestServers() {}

    /** A running server: where it is, and the options a target needs. */
    public record Server(String scheme, int port, Path root, String prefix, Map<String, String> options) {

        /** A location URI for a fresh, not yet existing directory below the server's root. */
        public URI freshLocation() {
            return URI.create(scheme + "://" + options.get("user") + "@127.0.0.1:" + port + prefix + "/t" + DIRS.incrementAndGet());
        }

        /** Opens a fresh target through the ServiceLoader, as an application would. */
        public SyncTarget freshTarget(Map<String, String> extra) throws IOException {
            Map<String, String> o = new TreeMap<>(options);
            o.putAll(extra);
            return SyncTargets.load().open(freshLocation().toString(), o);
        }
    }

    /** Apache FtpServer, plain FTP. */
    static synchronized Server apachePlain() throws Exception {
        if (plain == null) {
            plain = startApache(false);
        }
        return plain;
    }

    /** Apache FtpServer, explicit TLS, its certificate pinned by the client. */
    static synchronized Server apacheTls() throws Exception {
        if (tls == null) {
            tls = startApache(true);
        }
        return tls;
    }

    /** vsftpd (LIST only, two-argument MDTM), or null where it is not installed. */
    static synchronized Server vsftpd() throws Exception {
        if (vsftpd == null && Files.isExecutable(VSFTPD)) {
            vsftpd = startVsftpd(false);
        }
        return vsftpd;
    }

    /**
     * vsftpd with explicit TLS and its default {@code require_ssl_reuse=YES}: every data
     * connection must resume the control connection's TLS session. Null where not installed.
     */
    static synchronized Server vsftpdTls() throws Exception {
        if (vsftpdTls == null && Files.isExecutable(VSFTPD)) {
            vsftpdTls = startVsftpd(true);
        }
        return vsftpdTls;
    }

    /** Apache FtpServer with implicit TLS: TLS from the first byte, no AUTH TLS. */
    static synchronized Server apacheImplicitTls() throws Exception {
        if (implicitTls == null) {
            Path root = Files.createTempDirectory("ferry-ftpserver");
            int port = freePort();
            Map<String, String> options = new TreeMap<>();
            FtpServerFactory sf = apacheFactory(root, port, true, options);
            ListenerFactory lf = new ListenerFactory(sf.getListener("default"));
            lf.setImplicitSsl(true);
            sf.addListener("default", lf.createListener());
            FtpServer server = sf.createServer();
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
            options.put("implicitTls", "true");
            implicitTls = new Server("ftps", port, root, "", Map.copyOf(options));
        }
        return implicitTls;
    }

    /**
     * ProFTPD with mod_digest (Debian {@code proftpd-core}): MLSD, MFMT, and server-side hashes
     * (HASH, XMD5, XSHA1, XSHA256, XCRC). Anonymous, writable, as a child process on loopback
     * with its own configuration; null where the binary or mod_digest is missing.
     */
    static synchronized Server proftpd() throws Exception {
        if (proftpd == null && Files.isExecutable(PROFTPD) && Files.exists(proftpdModules().resolve("mod_digest.so"))) {
            proftpd = startProftpd();
        }
        return proftpd;
    }

    private static Path proftpdBinary() {
        String env = System.getenv("FERRY_PROFTPD");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path debian = Path.of("/usr/sbin/proftpd");
        return Files.isExecutable(debian) ? debian : Path.of("/opt/ferry-proftpd/usr/sbin/proftpd");
    }

    private static Path proftpdModules() {
        return PROFTPD.toAbsolutePath().getParent().resolveSibling("lib").resolve("proftpd");
    }

    private static Server startProftpd() throws Exception {
        Path work = Files.createTempDirectory("ferry-proftpd");
        // The session runs as the anonymous user, who must be able to reach the root.
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = work.resolve("root");
        Files.createDirectories(root);
        String anonUser = giveToAnonymous(root);
        int port = freePort();
        int pasv = 30000 + (int) (ProcessHandle.current().pid() % 10) * 300;
        String conf = String.join("\n",
                "ServerName \"ferry-test\"", "ServerType standalone", "DefaultAddress 127.0.0.1",
                "SocketBindTight on", "Port " + port, "UseIPv6 off", "PassivePorts " + pasv + " " + (pasv + 299),
                "MaxInstances 200", "User nobody", "Group nogroup", "PidFile " + work.resolve("proftpd.pid"),
                "ScoreboardFile " + work.resolve("proftpd.scoreboard"), "DelayTable none", "WtmpLog off",
                "TransferLog none", "SystemLog " + work.resolve("proftpd.log"), "UseReverseDNS off",
                "ModulePath " + proftpdModules(), "LoadModule mod_digest.c", "DigestEngine on", "TimesGMT on",
                "<Anonymous " + root + ">", "  User " + anonUser, "  Group nogroup", "  UserAlias anonymous " + anonUser,
                "  RequireValidShell off", "  AllowOverwrite on", "  ListOptions \"-a\"",
                "  <Limit WRITE SITE_CHMOD>", "    AllowAll", "  </Limit>", "</Anonymous>", "");
        Path confFile = work.resolve("proftpd.conf");
        Files.writeString(confFile, conf);
        Process p = new ProcessBuilder(PROFTPD.toString(), "-n", "-q", "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("proftpd.out").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }));
        waitForPort(p, port, work.resolve("proftpd.out"), "proftpd");
        return new Server("ftp", port, root, "", Map.of("user", "anonymous"));
    }

    /** Gives {@code root} to the daemon's anonymous user, {@code ftp} where it exists, else {@code nobody}; returns its name. */
    private static String giveToAnonymous(Path root) throws IOException {
        var lookup = root.getFileSystem().getUserPrincipalLookupService();
        for (String user : new String[] {"ftp", "nobody"}) {
            try {
                Files.setOwner(root, lookup.lookupPrincipalByName(user));
                return user;
            } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
                // try the next one
            }
        }
        throw new IOException("neither user ftp nor nobody exists");
    }

    private static void waitForPort(Process p, int port, Path log, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(what + " did not start: " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** An Apache FtpServer (plain) a test may stop and start again on the same port: an outage. */
    public static final class Stoppable {
        /** Where it is. */
        public final Server server;
        private FtpServer running;

        private Stoppable(Server server, FtpServer running) {
            this.server = server;
            this.running = running;
        }

        /** Stops it: connections are refused until {@link #start()}. */
        public synchronized void stop() {
            running.stop();
        }

        /** Starts a new server on the same port and root (a stopped server cannot start again). */
        public synchronized void start() throws Exception {
            running = apacheFactory(server.root(), server.port(), false, new TreeMap<>()).createServer();
            running.start();
        }
    }

    /** A fresh plain Apache FtpServer of the test's own, to be stopped and started. */
    public static Stoppable stoppableApache() throws Exception {
        Path root = Files.createTempDirectory("ferry-ftpserver");
        int port = freePort();
        Map<String, String> options = new TreeMap<>();
        FtpServerFactory sf = apacheFactory(root, port, false, options);
        FtpServer server = sf.createServer();
        server.start();
        Stoppable s = new Stoppable(new Server("ftp", port, root, "", Map.copyOf(options)), server);
        Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
        return s;
    }

    /**
     * A fresh plain Apache FtpServer of the test's own with {@code ftplet} installed: a hook on
     * the server side, to act between two commands of a client deterministically.
     */
    static Server apacheWithFtplet(org.apache.ftpserver.ftplet.Ftplet ftplet) throws Exception {
        Path root = Files.createTempDirectory("ferry-ftpserver");
        int port = freePort();
        Map<String, String> options = new TreeMap<>();
        FtpServerFactory sf = apacheFactory(root, port, false, options);
        sf.setFtplets(Map.of("hook", ftplet));
        FtpServer server = sf.createServer();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        return new Server("ftp", port, root, "", Map.copyOf(options));
    }

    private static Server startApache(boolean withTls) throws Exception {
        Path root = Files.createTempDirectory("ferry-ftpserver");
        int port = freePort();
        Map<String, String> options = new TreeMap<>();
        FtpServerFactory sf = apacheFactory(root, port, withTls, options);
        FtpServer server = sf.createServer();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        return new Server(withTls ? "ftps" : "ftp", port, root, "", Map.copyOf(options));
    }

    /** The server's set-up, filling in the options a target needs to reach it. */
    private static FtpServerFactory apacheFactory(Path root, int port, boolean withTls, Map<String, String> options)
            throws Exception {
        FtpServerFactory sf = new FtpServerFactory();
        ListenerFactory lf = new ListenerFactory();
        lf.setServerAddress("127.0.0.1");
        lf.setPort(port);
        lf.setIdleTimeout(120);
        DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
        data.setPassiveAddress("127.0.0.1");
        data.setPassivePorts("0");
        data.setIdleTime(120);
        lf.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
        options.put("user", USER);
        options.put("password", PASSWORD);
        if (withTls) {
            Path ks = root.resolveSibling(root.getFileName() + ".p12");
            String fingerprint = TestCertificates.selfSigned(ks).sha256();
            SslConfigurationFactory ssl = new SslConfigurationFactory();
            ssl.setKeystoreFile(ks.toFile());
            ssl.setKeystorePassword(TestCertificates.STORE_PASSWORD);
            ssl.setKeystoreType("PKCS12");
            lf.setSslConfiguration(ssl.createSslConfiguration());
            lf.setImplicitSsl(false);
            options.put("pinnedCertificate", fingerprint);
        }
        sf.addListener("default", lf.createListener());
        ConnectionConfigFactory cc = new ConnectionConfigFactory();
        cc.setMaxLogins(200);
        cc.setMaxThreads(0);
        cc.setLoginFailureDelay(0);
        sf.setConnectionConfig(cc.createConnectionConfig());
        UserManager um = new PropertiesUserManagerFactory().createUserManager();
        BaseUser user = new BaseUser();
        user.setName(USER);
        user.setPassword(PASSWORD);
        user.setHomeDirectory(root.toString());
        List<Authority> auth = new ArrayList<>();
        auth.add(new WritePermission());
        auth.add(new ConcurrentLoginPermission(200, 200));
        user.setAuthorities(auth);
        um.save(user);
        sf.setUserManager(um);
        return sf;
    }

    private static Server startVsftpd(boolean withTls) throws Exception {
        Path work = Files.createTempDirectory("ferry-vsftpd");
        // vsftpd refuses an anonymous root the anonymous user can write to: it writes below pub/.
        Path chroot = work.resolve("root");
        Path root = chroot.resolve("pub");
        Files.createDirectories(root);
        Path empty = work.resolve("empty");
        Files.createDirectories(empty);
        String anonUser = giveToAnonymous(root);
        int port = freePort();
        int pasv = 20000 + (int) (ProcessHandle.current().pid() % 10) * 400 + (withTls ? 5000 : 0); // below the ephemeral range
        String conf = String.join("\n",
                "listen=YES", "listen_ipv6=NO", "listen_address=127.0.0.1", "listen_port=" + port,
                "background=NO", "seccomp_sandbox=NO", "isolate=NO", "isolate_network=NO",
                "nopriv_user=nobody", "secure_chroot_dir=" + empty,
                "anonymous_enable=YES", "local_enable=NO", "no_anon_password=YES", "anon_root=" + chroot,
                "ftp_username=" + anonUser, "write_enable=YES", "anon_upload_enable=YES",
                "anon_mkdir_write_enable=YES", "anon_other_write_enable=YES", "anon_world_readable_only=NO",
                "anon_umask=022", "allow_writeable_chroot=YES", "force_dot_files=YES", "utf8_filesystem=YES",
                "pasv_enable=YES", "pasv_address=127.0.0.1", "pasv_min_port=" + pasv, "pasv_max_port=" + (pasv + 399),
                "connect_from_port_20=NO", "max_clients=0", "max_per_ip=0", "use_localtime=NO",
                "xferlog_enable=NO", "idle_session_timeout=600", "data_connection_timeout=300",
                "delay_failed_login=0", "delay_successful_login=0", "mdtm_write=YES", "");
        Map<String, String> options = new TreeMap<>(Map.of("user", "anonymous"));
        if (withTls) {
            Path ks = work.resolve("server.p12");
            TestCertificates.SelfSigned cert = TestCertificates.selfSigned(ks);
            options.put("pinnedCertificate", cert.sha256());
            cert.writePem(work.resolve("cert.pem"), work.resolve("key.pem"));
            conf += String.join("\n", "ssl_enable=YES", "allow_anon_ssl=YES", "force_anon_logins_ssl=YES",
                    "force_anon_data_ssl=YES", "require_ssl_reuse=YES", "ssl_ciphers=HIGH",
                    "rsa_cert_file=" + work.resolve("cert.pem"), "rsa_private_key_file=" + work.resolve("key.pem"), "");
        }
        Path confFile = work.resolve("vsftpd.conf");
        Files.writeString(confFile, conf);
        Process p = new ProcessBuilder(VSFTPD.toString(), confFile.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("vsftpd.out").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }));
        waitForPort(p, port, work.resolve("vsftpd.out"), "vsftpd");
        return new Server(withTls ? "ftps" : "ftp", port, root, "/pub", Map.copyOf(options));
    }
}
