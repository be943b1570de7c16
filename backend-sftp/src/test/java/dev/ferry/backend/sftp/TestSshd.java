package dev.ferry.backend.sftp;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OpenSSH server for the tests: {@code /usr/sbin/sshd -D -e -f <own config>} on a free
 * loopback port, started once per test JVM and stopped (by its PID) when the JVM exits. It has
 * its own host key, its own {@code known_hosts} for the clients, and its own authorized-keys file
 * holding a key the tests made, so the current user logs in by key; password logins use the user
 * {@code ferrytest} (password {@link #PASSWORD}) where {@code .ci/run} created it.
 */
public final class TestSshd {

    /** The user {@code .ci/run} creates for password logins. */
    public static final String PASSWORD_USER = "ferrytest";
    /** That user's password (a throwaway account on a test machine). */
    public static final String PASSWORD = "ferry-Test-pw1";
    static final Path SSHD = Path.of("/usr/sbin/sshd");

    private static final AtomicInteger DIRS = new AtomicInteger();
    private static TestSshd shared;

    /** The port sshd listens on, on 127.0.0.1. */
    public final int port;
    /** The directory holding keys, config and the data roots. */
    public final Path dir;
    /** A private key (no passphrase) the server accepts for {@link #user}. */
    public final Path clientKey;
    /** The same key with passphrase {@link #KEY_PASSPHRASE}. */
    public final Path protectedKey;
    /** A {@code known_hosts} file naming this server's key. */
    public final Path knownHosts;
    /** The server's host key as {@code SHA256:...}. */
    public final String hostKeyFingerprint;
    /** The login the key works for (whoever runs the tests). */
    public final String user;
    /** The passphrase of {@link #protectedKey}. */
    public static final String KEY_PASSPHRASE = dev.ferry.testkit.TestSecrets.secret("sftp-key");

    private final Process process;

    private TestSshd(int port, Path dir, Path clientKey, Path protectedKey, Path knownHosts, String fingerprint,
            String user, Process process) {
        this.port = port;
        this.dir = dir;
        this.clientKey = clientKey;
        this.protectedKey = protectedKey;
        this.knownHosts = knownHosts;
        this.hostKeyFingerprint = fingerprint;
        this.user = user;
        this.process = process;
    }

    /** Whether OpenSSH's server is installed here ({@code apt-get install openssh-server}). */
    public static boolean installed() {
        return Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
    }

    /** The server, started on first use; null where sshd is not installed. */
    public static synchronized TestSshd shared() throws IOException, InterruptedException {
        if (!installed()) {
            return null;
        }
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** Whether the password-login user exists here (created by {@code .ci/run}). */
    public static boolean passwordUserExists() {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(PASSWORD_USER + ":"));
        } catch (IOException e) {
            return false;
        }
    }

    private static TestSshd start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("ferry-sshd");
        // sshd reads the authorized keys as the logging-in user: let every test user read them.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path hostKey = dir.resolve("host_ed25519");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString()));
        Path clientKey = dir.resolve("client_ed25519");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ferry-test", "-f", clientKey.toString()));
        Path protectedKey = dir.resolve("client_protected");
        Files.copy(clientKey, protectedKey);
        Files.setPosixFilePermissions(protectedKey, PosixFilePermissions.fromString("rw-------"));
        run(List.of("ssh-keygen", "-q", "-p", "-P", "", "-N", KEY_PASSPHRASE, "-f", protectedKey.toString()));
        Path authorized = dir.resolve("authorized_keys");
        Files.copy(dir.resolve("client_ed25519.pub"), authorized);
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-r--r--"));
        String user = System.getProperty("user.name");
        Files.createDirectories(Path.of("/run/sshd"));
        // Commands sshd runs (hash commands over exec) start the login's shell, and Debian's bash
        // then sources ~/.bashrc: a slow one (pyenv init takes ~3 s on the dev machine) made every
        // exec cost seconds and rclone, which runs md5sum after each upload, look hung. A HOME of
        // our own gives every login a clean shell start, as on a typical server.
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = freePort();
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "UsePAM no",
                "StrictModes no",
                "PermitRootLogin yes",
                "PubkeyAuthentication yes",
                "PasswordAuthentication yes",
                "KbdInteractiveAuthentication no",
                "AuthorizedKeysFile " + authorized,
                "AllowUsers " + user + " " + PASSWORD_USER,
                "Subsystem sftp internal-sftp",
                "SetEnv HOME=" + home,
                "MaxSessions 64",
                "MaxStartups 64:30:128",
                "LogLevel ERROR",
                ""), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }));
        waitForPort(port, p, dir);
        String pub = Files.readString(dir.resolve("host_ed25519.pub")).trim();
        String[] parts = pub.split(" ");
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1] + "\n");
        String fingerprint = run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", hostKey + ".pub")).split(" ")[1];
        return new TestSshd(port, dir, clientKey, protectedKey, knownHosts, fingerprint, user, p);
    }

    /** A fresh, empty directory the given user owns, for one test's data. */
    public Path freshRoot(Optional<String> owner) throws IOException {
        Path root = dir.resolve("data").resolve("t" + DIRS.incrementAndGet());
        Files.createDirectories(root);
        if (owner.isPresent()) {
            UserPrincipal u = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner.get());
            Files.setOwner(root, u);
        }
        Files.setPosixFilePermissions(dir.resolve("data"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }

    /** {@code sftp://user@127.0.0.1:port/<root>}. */
    public String location(String login, Path root) {
        return "sftp://" + login + "@127.0.0.1:" + port + root;
    }

    /** The options for a key login with this server's known_hosts. */
    public Map<String, String> keyOptions() {
        Map<String, String> o = new TreeMap<>();
        o.put("keyFile", clientKey.toString());
        o.put("knownHosts", knownHosts.toString());
        return o;
    }

    /** A fresh target on a fresh directory (not yet existing), key login, opened through the ServiceLoader. */
    public SyncTarget freshTarget(Map<String, String> extra) throws IOException {
        Path root = freshRoot(Optional.empty()).resolve("root");
        Map<String, String> o = new TreeMap<>(keyOptions());
        o.putAll(extra);
        return SyncTargets.load().open(location(user, root), o);
    }

    /** The server's log so far (for failure messages). */
    public String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"));
    }

    /** The PID of the sshd process. */
    public long pid() {
        return process.pid();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port, Process p, Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("sshd exited at start: " + Files.readString(dir.resolve("sshd.log")));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        p.destroy();
        throw new IOException("sshd did not listen on " + port + " within 15 s");
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
