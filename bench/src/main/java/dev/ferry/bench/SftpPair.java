package dev.ferry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Local directory → OpenSSH's sshd on a loopback port, the same server for both tools. The server
 * is backend-sftp's test sshd ({@code dev.ferry.backend.sftp.TestSshd}: {@code /usr/sbin/sshd}
 * with its own config, host key, key login for the current user and {@code known_hosts}), run in
 * a JVM of its own through {@code TestSshdMain} because this harness links only the JDK. Ferry
 * reads the location and key from a named remote in its own config file ({@code FERRY_CONFIG}),
 * rclone from its config; both check the host key against the same {@code known_hosts}. The
 * server writes to this pair's directory, which is the destinations' local view. The large
 * initial sync also times {@code scp} (OpenSSH's client, SFTP protocol) as the line-rate reference.
 */
final class SftpPair implements TargetPair {
    private static final String MAIN = "dev.ferry.backend.sftp.TestSshdMain";

    private final Path work;
    private final Path store;
    private Process helper;
    private final Map<String, String> facts = new HashMap<>();

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
        Fs.deleteRecursively(work);
        Files.createDirectories(store);
        Path ferryJar = Path.of("sync-cli/target/ferry.jar").toAbsolutePath();
        Path tests = testClasses();
        // TestSshd takes its password from sync-testkit's TestSecrets (the CI secret marker).
        Path testkit = Path.of("sync-testkit/target/classes").toAbsolutePath();
        if (!Files.isRegularFile(testkit.resolve("dev/ferry/testkit/TestSecrets.class"))) {
            throw new IOException("the sftp pair needs sync-testkit's classes: build them"
                    + " (mvn -q -pl backend-sftp,sync-cli -am install -DskipTests)");
        }
        if (!Files.isRegularFile(ferryJar)) {
            throw new IOException("the sftp pair starts its sshd with " + ferryJar + " on the class path: build it"
                    + " (mvn -q -pl sync-cli -am package)");
        }
        Path out = work.resolve("sshd-helper.out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        helper = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx64m", "-cp", tests + ":" + testkit + ":" + ferryJar, MAIN)
                .redirectError(work.resolve("sshd-helper.err").toFile()).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(helper.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null && !line.equals("ready"); line = r.readLine()) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    facts.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        if (!facts.containsKey("port")) {
            close();
            throw new IOException("the test sshd did not start: " + facts.getOrDefault("error", "")
                    + " " + Files.readString(work.resolve("sshd-helper.err")));
        }
        Path ferryConf = work.resolve("ferry.conf");
        Files.createFile(ferryConf, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(ferryConf, "[bench-sftp]\nurl = sftp://" + fact("user") + "@127.0.0.1:" + fact("port") + store
                + "\nkeyFile = " + fact("clientKey") + "\nknownHosts = " + fact("knownHosts") + "\n");
    }

    /** backend-sftp's test classes: its test jar, or its compiled test classes. */
    private static Path testClasses() throws IOException {
        Path target = Path.of("backend-sftp/target").toAbsolutePath();
        if (Files.isDirectory(target)) {
            try (Stream<Path> s = Files.list(target)) {
                Optional<Path> jar = s.filter(p -> p.getFileName().toString().endsWith("-tests.jar")).findFirst();
                if (jar.isPresent()) {
                    return jar.get();
                }
            }
        }
        Path classes = target.resolve("test-classes");
        if (Files.isRegularFile(classes.resolve("dev/ferry/backend/sftp/TestSshdMain.class"))) {
            return classes;
        }
        throw new IOException("the sftp pair needs backend-sftp's test sshd: build it (mvn -q -pl backend-sftp -am install -DskipTests)");
    }

    private String fact(String key) {
        return facts.get(key);
    }

    @Override
    public Destination destination(String slot) throws IOException {
        Path dir = store.resolve(slot);
        Files.createDirectories(dir);
        return new Destination("bench-sftp:" + slot, "bench-sftp:" + store + "/" + slot, dir);
    }

    @Override
    public String rcloneConfig() {
        // shell_type given, so rclone does not probe the shell; it still runs md5sum over exec
        // after each upload (its default hash check), as a user gets it.
        return "[bench-sftp]\ntype = sftp\nhost = 127.0.0.1\nport = " + fact("port") + "\nuser = " + fact("user")
                + "\nkey_file = " + fact("clientKey") + "\nknown_hosts_file = " + fact("knownHosts")
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

    /**
     * {@code scp -r} of the source's files into the destination (the server's path is the view's,
     * sshd running on this machine); OpenSSH 9's scp speaks SFTP.
     */
    @Override
    public Optional<Tool> reference() {
        String scp = "exec scp -q -r -P " + fact("port") + " -i " + fact("clientKey") + " -o BatchMode=yes"
                + " -o UserKnownHostsFile=" + fact("knownHosts") + " \"$1\"/* " + fact("user") + "@127.0.0.1:\"$2\"/";
        return Optional.of(new Tool("scp", List.of("sh", "-c", scp, "scp", "{src}", "{dst}"), Tool.DstForm.LOCAL_VIEW,
                Set.of()));
    }

    @Override
    public boolean downloads() {
        return true;
    }

    @Override
    public void close() throws IOException {
        if (helper != null) {
            helper.getOutputStream().close(); // the helper's stdin: it stops sshd and exits
            try {
                if (!helper.waitFor(15, TimeUnit.SECONDS)) {
                    LoopbackServer.stop(helper);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LoopbackServer.stop(helper);
            }
            helper = null;
        }
    }
}
