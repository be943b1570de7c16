package dev.ferry.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.TimeUnit;

/**
 * Local directory → vsftpd on a loopback port, the same server for both tools. vsftpd (Debian
 * {@code vsftpd}) is started with its own config: anonymous login with write access below
 * {@code /pub} (vsftpd refuses a writable chroot root), LIST only and two-argument MDTM, as on
 * much shared webspace. The server's storage directory is the destination's local view.
 */
final class FtpPair implements TargetPair {
    private static final Path VSFTPD = Path.of("/usr/sbin/vsftpd");

    private final Path work;
    private final Path chroot;
    private final Path pub;
    private Process server;
    private int port;
    private UserPrincipal owner;
    private String rclonePass = "";

    FtpPair(Path work) {
        this.work = work.toAbsolutePath().normalize();
        this.chroot = this.work.resolve("root");
        this.pub = chroot.resolve("pub");
    }

    @Override
    public String name() {
        return "ftp";
    }

    @Override
    public String describe() {
        return "local → FTP (vsftpd on 127.0.0.1: LIST, two-argument MDTM; both tools against the same server)";
    }

    @Override
    public void start() throws IOException {
        if (!Files.isExecutable(VSFTPD)) {
            throw new IOException("the ftp pair needs vsftpd: apt-get install -y vsftpd");
        }
        Fs.deleteRecursively(work);
        Files.createDirectories(pub);
        Path empty = work.resolve("empty");
        Files.createDirectories(empty);
        var lookup = pub.getFileSystem().getUserPrincipalLookupService();
        String anon = "ftp";
        try {
            owner = lookup.lookupPrincipalByName(anon);
        } catch (IOException e) {
            anon = "nobody";
            owner = lookup.lookupPrincipalByName(anon);
        }
        Files.setOwner(pub, owner);
        rclonePass = obscured("ferry@");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        // Many small uploads use many data connections: a wide range, below the ephemeral ports.
        int pasv = 10000 + (int) (ProcessHandle.current().pid() % 10) * 1000;
        String conf = String.join("\n",
                "listen=YES", "listen_ipv6=NO", "listen_address=127.0.0.1", "listen_port=" + port,
                "background=NO", "seccomp_sandbox=NO", "isolate=NO", "isolate_network=NO",
                "nopriv_user=nobody", "secure_chroot_dir=" + empty,
                "anonymous_enable=YES", "local_enable=NO", "no_anon_password=YES", "anon_root=" + chroot,
                "ftp_username=" + anon, "write_enable=YES", "anon_upload_enable=YES",
                "anon_mkdir_write_enable=YES", "anon_other_write_enable=YES", "anon_world_readable_only=NO",
                "anon_umask=022", "force_dot_files=YES", "utf8_filesystem=YES",
                "pasv_enable=YES", "pasv_address=127.0.0.1", "pasv_min_port=" + pasv, "pasv_max_port=" + (pasv + 999),
                "connect_from_port_20=NO", "max_clients=0", "max_per_ip=0", "use_localtime=NO",
                "xferlog_enable=NO", "idle_session_timeout=600", "data_connection_timeout=300",
                "delay_failed_login=0", "delay_successful_login=0", "mdtm_write=YES", "");
        Path confFile = work.resolve("vsftpd.conf");
        Files.writeString(confFile, conf, StandardCharsets.UTF_8);
        server = new ProcessBuilder(VSFTPD.toString(), confFile.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("vsftpd.out").toFile()).start();
        LoopbackServer.awaitListening(server, port, Duration.ofSeconds(15), work.resolve("vsftpd.out"), "vsftpd");
    }

    @Override
    public Destination destination(String slot) throws IOException {
        Path dir = pub.resolve(slot);
        createOwned(dir);
        return new Destination("ftp://anonymous@127.0.0.1:" + port + "/pub/" + slot, "bench-ftp:pub/" + slot, dir,
                this::createOwned);
    }

    private void createOwned(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setOwner(dir, owner);
    }

    @Override
    public String rcloneConfig() {
        return "[bench-ftp]\ntype = ftp\nhost = 127.0.0.1\nport = " + port + "\nuser = anonymous\n"
                + (rclonePass.isEmpty() ? "" : "pass = " + rclonePass + "\n");
    }

    /** rclone's config wants the password obscured (its reversible encoding): {@code rclone obscure}. */
    private static String obscured(String password) {
        try {
            Process p = new ProcessBuilder("rclone", "obscure", password).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
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
