package dev.ferry.backend.syncthing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Syncthing node this program runs: a home with its keys, a config written before the first
 * start (GUI address and API key, listen addresses; relays, announcements, NAT, usage and crash
 * reports and upgrades off; no default folder), {@code syncthing serve} supervised (started again
 * when it exits with code 3, which is how 1.19 restarts), and a clean stop. Keys, certificates
 * and the config stay in the home, owner-only.
 *
 * <pre>{@code
 * try (SyncthingProcess st = SyncthingProcess.builder(Path.of("/var/lib/app/st"))
 *         .guiAddress("127.0.0.1:8384").listenAddress("tcp://0.0.0.0:22000").build().start()) {
 *     SyncthingNode node = st.node();
 *     System.out.println(node.status().myId());
 * }
 * }</pre>
 *
 * The child also gets {@code HOME} set to the home, so nothing lands in the user's real home.
 */
public final class SyncthingProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncthingProcess.class);
    /** 1.19's exit code for "start me again" (restart, reset) under {@code --no-restart}. */
    static final int EXIT_RESTART = 3;

    private final Builder config;
    private final Object lock = new Object();
    private Process process;
    private Thread supervisor;
    private Thread shutdownHook;
    private volatile boolean stopping;
    private volatile int restarts;
    private volatile Integer lastExit;
    private String apiKey;
    private SyncthingNode node;
    private DeviceId deviceId;

    private SyncthingProcess(Builder config) {
        this.config = config;
    }

    /** A builder for a node whose home (keys, config, database) is {@code home}. */
    public static Builder builder(Path home) {
        return new Builder(home);
    }

    /**
     * Creates the home if needed, writes the config, starts {@code syncthing serve} and waits
     * until it answers.
     *
     * @return this
     */
    public SyncthingProcess start() throws IOException {
        synchronized (lock) {
            if (process != null && process.isAlive()) {
                return this;
            }
            prepareHome();
            stopping = false;
            launch();
            supervisor = new Thread(this::supervise, "syncthing-supervisor-" + config.home.getFileName());
            supervisor.setDaemon(true);
            supervisor.start();
            shutdownHook = new Thread(this::terminate, "syncthing-stop-" + config.home.getFileName());
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        awaitReady(config.startTimeout);
        ownerOnly(); // the https certificate and key appear on the first start
        LOG.info("Syncthing node {} answers at {} (pid {})", deviceId.shortId(), guiUri(), pid().orElse(-1));
        return this;
    }

    private void prepareHome() throws IOException {
        Path home = config.home;
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        boolean fresh = !Files.exists(home.resolve("config.xml"));
        if (!Files.exists(home.resolve("cert.pem")) || fresh) {
            run(List.of(config.binary, "generate", "--home=" + home, "--no-default-folder", "--skip-port-probing"));
        }
        deviceId = DeviceId.of(Tls.readCertificate(home.resolve("cert.pem")));
        ConfigXml xml = ConfigXml.read(home.resolve("config.xml"));
        apiKey = config.apiKey != null ? config.apiKey : xml.apiKey();
        if (apiKey.isEmpty()) {
            apiKey = randomKey();
        }
        xml.gui(config.guiAddress, apiKey, config.https);
        if (fresh || config.enforceOptions) {
            xml.options(config.listen, config.internetFeatures, config.reconnectIntervalS);
        }
        if (config.name != null) {
            xml.ownName(deviceId.value(), config.name);
        }
        xml.write();
        ownerOnly();
    }

    /** Keys, certificates and the config: readable by the owner only. */
    private void ownerOnly() throws IOException {
        try (Stream<Path> files = Files.list(config.home)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && (name.endsWith(".pem") || name.equals("config.xml"))) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
                }
            }
        }
    }

    private void launch() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(config.binary, "serve", "--home=" + config.home, "--no-browser",
                "--no-restart", "--no-upgrade", "--no-default-folder", "--skip-port-probing"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(config.home.resolve("syncthing.log").toFile()));
        pb.environment().put("HOME", config.home.toString());
        pb.environment().put("STNODEFAULTFOLDER", "1");
        pb.environment().put("STNOUPGRADE", "1");
        pb.environment().put("STNORESTART", "1");
        pb.environment().remove("STGUIAPIKEY");
        pb.environment().remove("STGUIADDRESS");
        process = pb.start();
    }

    private void supervise() {
        while (true) {
            Process p;
            synchronized (lock) {
                p = process;
            }
            int code;
            try {
                code = p.waitFor();
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                lastExit = code;
                if (stopping || code != EXIT_RESTART) {
                    if (!stopping && code == 0) {
                        LOG.info("Syncthing node {} shut down", deviceId.shortId());
                    } else if (!stopping) {
                        LOG.warn("Syncthing node {} exited with code {} (see {})", deviceId.shortId(), code,
                                config.home.resolve("syncthing.log"));
                    }
                    return;
                }
                try {
                    restarts++;
                    LOG.info("Syncthing node {} asked to be restarted", deviceId.shortId());
                    launch();
                } catch (IOException e) {
                    LOG.error("Syncthing node {} could not be restarted: {}", deviceId.shortId(), e.toString());
                    return;
                }
            }
        }
    }

    /** Waits until the node answers with its API key. */
    public void awaitReady(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            synchronized (lock) {
                // Code 3 is a restart the supervisor is carrying out; anything else is the end.
                if (process != null && !process.isAlive() && process.exitValue() != EXIT_RESTART) {
                    throw new NodeUnavailableException("Syncthing exited with code " + process.exitValue()
                            + " (not running); see " + config.home.resolve("syncthing.log"), null);
                }
            }
            if (nodeOrNull() != null && node.ping()) {
                return;
            }
            SyncthingNode.pause(Duration.ofMillis(100));
        }
        throw new NodeUnavailableException("Syncthing did not answer at " + guiUri() + " within " + timeout.toSeconds()
                + " s; see " + config.home.resolve("syncthing.log"), null);
    }

    /** The client for this node's admin API (https: the node's own certificate pinned). */
    public SyncthingNode node() {
        SyncthingNode n = nodeOrNull();
        if (n == null) {
            throw new IllegalStateException("the node's https certificate does not exist yet: start() it first");
        }
        return n;
    }

    private synchronized SyncthingNode nodeOrNull() {
        if (node == null) {
            SyncthingNode.Builder b = SyncthingNode.builder(guiUri()).apiKey(apiKey);
            if (config.https) {
                Path cert = config.home.resolve("https-cert.pem");
                if (!Files.exists(cert)) {
                    return null;
                }
                try {
                    b.pinnedCertificate(cert);
                } catch (IOException e) {
                    return null; // still being written
                }
            }
            node = b.build();
        }
        return node;
    }

    /** The node's device ID (from its certificate). */
    public DeviceId deviceId() {
        return Objects.requireNonNull(deviceId, "not started");
    }

    /** The GUI/REST address, {@code http://127.0.0.1:PORT/} (https with {@code https(true)}). */
    public URI guiUri() {
        return URI.create((config.https ? "https://" : "http://") + config.guiAddress + "/");
    }

    /** The API key (a secret: don't log it). */
    public String apiKey() {
        return apiKey;
    }

    /** The listen addresses it was configured with. */
    public List<String> listenAddresses() {
        return config.listen;
    }

    /** The home directory. */
    public Path home() {
        return config.home;
    }

    /** The running process's id, if it runs. */
    public OptionalLong pid() {
        synchronized (lock) {
            return process != null && process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
        }
    }

    /** Whether the process runs. */
    public boolean isRunning() {
        return pid().isPresent();
    }

    /** How many times the supervisor started it again after an exit with code 3. */
    public int restarts() {
        return restarts;
    }

    /**
     * {@link SyncthingNode#factoryReset} and, with {@code newIdentity}, a new key and so a new
     * device ID (the node is stopped, its key and certificates removed and made again).
     */
    public SystemStatus factoryReset(boolean newIdentity) throws IOException {
        SystemStatus s = node().factoryReset(config.startTimeout);
        if (!newIdentity) {
            return s;
        }
        stop();
        String old = deviceId.value();
        for (String f : List.of("cert.pem", "key.pem", "https-cert.pem", "https-key.pem")) {
            Files.deleteIfExists(config.home.resolve(f));
        }
        run(List.of(config.binary, "generate", "--home=" + config.home, "--no-default-folder", "--skip-port-probing"));
        ConfigXml xml = ConfigXml.read(config.home.resolve("config.xml"));
        xml.removeDevice(old);
        xml.write();
        synchronized (this) {
            node = null;
        }
        start();
        return node().status();
    }

    /**
     * Stops the node: asks it to shut down, then terminates the process (by its own PID) if it
     * has not exited within 15 s. Idempotent.
     */
    public void stop() {
        Process p;
        synchronized (lock) {
            stopping = true;
            p = process;
        }
        if (p == null || !p.isAlive()) {
            removeHook();
            return;
        }
        SyncthingNode n = nodeOrNull();
        try {
            if (n != null) {
                n.shutdown();
            }
        } catch (IOException e) {
            LOG.debug("shutdown request failed: {}", e.toString());
        }
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        removeHook();
    }

    /** Stops the process at once (SIGKILL), as a crash would: for tests of peers going away. */
    public void kill() {
        Process p;
        synchronized (lock) {
            stopping = true;
            p = process;
        }
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** At JVM exit: SIGTERM (Syncthing then stops cleanly), SIGKILL if it lingers. */
    private void terminate() {
        Process p;
        synchronized (lock) {
            stopping = true;
            p = process;
        }
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }

    private void removeHook() {
        Thread hook = shutdownHook;
        shutdownHook = null;
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down: the hook runs anyway and finds nothing alive.
            }
        }
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private void run(List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(config.home.resolve("syncthing.log").toFile()));
        pb.environment().put("HOME", config.home.toString());
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("'" + String.join(" ", cmd) + "' did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
        if (p.exitValue() != 0) {
            throw new IOException("'" + cmd.get(0) + " " + cmd.get(1) + "' failed with code " + p.exitValue() + "; see "
                    + config.home.resolve("syncthing.log"));
        }
    }

    private static String randomKey() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom r = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "SyncthingProcess[" + config.home + ", gui " + config.guiAddress + "]";
    }

    /** Builds a {@link SyncthingProcess}. */
    public static final class Builder {
        private final Path home;
        private String binary = "syncthing";
        private String guiAddress = "127.0.0.1:8384";
        private List<String> listen = List.of("tcp://127.0.0.1:22000");
        private String apiKey;
        private String name;
        private boolean https;
        private boolean internetFeatures;
        private boolean enforceOptions;
        private Duration startTimeout = Duration.ofSeconds(60);
        private int reconnectIntervalS = 60;

        private Builder(Path home) {
            this.home = home.toAbsolutePath();
        }

        /** The syncthing program (default: {@code syncthing} on the PATH). */
        public Builder binary(String binary) {
            this.binary = binary;
            return this;
        }

        /** Where the GUI and REST API listen, {@code HOST:PORT} (default {@code 127.0.0.1:8384}). */
        public Builder guiAddress(String hostPort) {
            if (!hostPort.matches("[^/:]+:\\d{1,5}|\\[[0-9a-fA-F:]+]:\\d{1,5}")) {
                throw new IllegalArgumentException("the GUI address is HOST:PORT, not '" + hostPort + "'");
            }
            this.guiAddress = hostPort;
            return this;
        }

        /** Where it accepts peers ({@code tcp://127.0.0.1:22000}); more than one allowed. */
        public Builder listenAddress(String... addresses) {
            for (String a : addresses) {
                if (!a.equals("default") && !a.matches("(tcp|tcp4|tcp6|quic|quic4|quic6)://.+:\\d{1,5}")) {
                    throw new IllegalArgumentException("a listen address is like tcp://127.0.0.1:22000, not '" + a + "'");
                }
            }
            this.listen = List.of(addresses);
            return this;
        }

        /** The API key to set (default: the one {@code syncthing generate} made, or a random one). */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** The node's own device name. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Serve the GUI over https with Syncthing's own certificate (pinned by {@link #node()}). */
        public Builder https(boolean https) {
            this.https = https;
            return this;
        }

        /**
         * Whether relays, global and local discovery and NAT traversal are on (default off: only
         * the listen and device addresses given are used).
         */
        public Builder internetFeatures(boolean on) {
            this.internetFeatures = on;
            return this;
        }

        /** Write the listen address and discovery options on every start, not only the first. */
        public Builder enforceOptions(boolean enforce) {
            this.enforceOptions = enforce;
            return this;
        }

        /** Seconds between attempts to reach devices that are not connected (Syncthing's default 60). */
        public Builder reconnectIntervalS(int seconds) {
            if (seconds < 1) {
                throw new IllegalArgumentException("the reconnection interval is at least 1 s");
            }
            this.reconnectIntervalS = seconds;
            return this;
        }

        /** How long a start may take until the node answers (default 60 s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** The process, not started. */
        public SyncthingProcess build() {
            return new SyncthingProcess(this);
        }
    }
}
