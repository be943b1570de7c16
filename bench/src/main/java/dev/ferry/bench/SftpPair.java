package dev.ferry.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Local directory → OpenSSH's sshd on a loopback port, the same server for both tools. sshd
 * ({@code /usr/sbin/sshd}, Debian {@code openssh-server}) runs with its own config, host key and
 * authorized-keys file: a key login for the current user with a key generated for this run, and
 * a {@code known_hosts} both tools check the host key against. Ferry reads the location and key
 * from a named remote in its own config file ({@code FERRY_CONFIG}), rclone from its config.
 * The server's directory is the destinations' local view.
 */
final class SftpPair implements TargetPair {
    private static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path work;
    private final Path store;
    private Process server;
    private int port;
    private final String user = System.getProperty("user.name");

    SftpPair(Path work) {
        this.work = work.toAbsolutePath().normalize();
        this.store = this.work.resolve("store");
    }

    @Override
    public String name() {
        return "sftp";
    }

    @Override
    public String describe() {
        return "local → SFTP (OpenSSH sshd on 127.0.0.1, key login; both tools against the same server)";
    }

    @Override
    public void start() throws IOException {
        if (!Files.isExecutable(SSHD)) {
            throw new IOException("the sftp pair needs sshd: apt-get install -y openssh-server");
        }
        Fs.deleteRecursively(work);
        Files.createDirectories(store);
        Path hostKey = work.resolve("host_ed25519");
        Path clientKey = work.resolve("client_ed25519");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString()));
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", clientKey.toString()));
        Files.copy(clientKey.resolveSibling("client_ed25519.pub"), work.resolve("authorized_keys"));
        Files.createDirectories(Path.of("/run/sshd"));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        String conf = String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + hostKey,
                "PidFile " + work.resolve("sshd.pid"), "AuthorizedKeysFile " + work.resolve("authorized_keys"),
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password", "UsePAM no", "StrictModes no", "AllowUsers " + user,
                "MaxSessions 64", "MaxStartups 64", "Subsystem sftp internal-sftp", "LogLevel ERROR", "");
        Path confFile = work.resolve("sshd_config");
        Files.writeString(confFile, conf, StandardCharsets.UTF_8);
        String pub = Files.readString(work.resolve("host_ed25519.pub")).trim();
        String[] parts = pub.split(" ");
        Files.writeString(work.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1] + "\n");
        server = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", confFile.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("sshd.out").toFile()).start();
        LoopbackServer.awaitListening(server, port, Duration.ofSeconds(15), work.resolve("sshd.out"), "sshd");
        Path ferryConf = work.resolve("ferry.conf");
        Files.createFile(ferryConf, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(ferryConf, "[bench-sftp]\nurl = sftp://" + user + "@127.0.0.1:" + port + store
                + "\nkeyFile = " + clientKey + "\nknownHosts = " + work.resolve("known_hosts") + "\n");
    }

    private static void run(List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public Destination destination(String slot) throws IOException {
        Path dir = store.resolve(slot);
        Files.createDirectories(dir);
        return new Destination("bench-sftp:" + slot, "bench-sftp:" + store + "/" + slot, dir);
    }

    @Override
    public String rcloneConfig() {
        return "[bench-sftp]\ntype = sftp\nhost = 127.0.0.1\nport = " + port + "\nuser = " + user
                + "\nkey_file = " + work.resolve("client_ed25519") + "\nknown_hosts_file = " + work.resolve("known_hosts")
                + "\nshell_type = unix\n";
    }

    @Override
    public Map<String, String> toolEnv() {
        return Map.of("FERRY_CONFIG", work.resolve("ferry.conf").toString());
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
