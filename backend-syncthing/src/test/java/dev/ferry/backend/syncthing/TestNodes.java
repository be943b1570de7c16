package dev.ferry.backend.syncthing;

import dev.ferry.testkit.TestSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Managed Syncthing nodes for one test class: homes in a temporary directory, GUI and listen
 * ports free on 127.0.0.1, nothing internet-facing, fast reconnects. {@link #close()} stops every
 * node by its own PID and removes the homes.
 */
final class TestNodes implements AutoCloseable {

    final Path root;
    final List<SyncthingProcess> processes = new ArrayList<>();

    TestNodes() throws IOException {
        Assumptions.assumeTrue(onPath("syncthing"), "the syncthing program is not installed (apt-get install syncthing)");
        root = Files.createTempDirectory("ferry-syncthing-");
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Starts one more node named {@code name}. */
    SyncthingProcess start(String name) throws IOException {
        return start(name, false);
    }

    /**
     * Starts a node; its API key is chosen here and carries sync-testkit's leak marker, so CI's
     * secret scan would find it in any output.
     */
    SyncthingProcess start(String name, boolean https) throws IOException {
        SyncthingProcess p = SyncthingProcess.builder(root.resolve(name))
                .apiKey(TestSecrets.secret("syncthing-" + name))
                .guiAddress("127.0.0.1:" + freePort())
                .listenAddress("tcp://127.0.0.1:" + freePort())
                .name(name)
                .https(https)
                .reconnectIntervalS(2)
                .build();
        processes.add(p);
        return p.start();
    }

    /** Introduces two nodes to each other by ID and address. */
    static void pair(SyncthingProcess a, SyncthingProcess b) throws IOException {
        a.node().addDevice(DeviceConfig.builder(b.deviceId()).name(b.home().getFileName().toString())
                .address(b.listenAddresses().get(0)).build());
        b.node().addDevice(DeviceConfig.builder(a.deviceId()).name(a.home().getFileName().toString())
                .address(a.listenAddresses().get(0)).build());
    }

    /** A folder shared between nodes, on each at root/<node>-<id>, watcher delay 1 s. */
    static FolderConfig share(String id, Path path, DeviceId... peers) {
        FolderConfig.Builder b = FolderConfig.builder(id, path).fsWatcherDelayS(1).rescanIntervalS(3600);
        for (DeviceId d : peers) {
            b.share(d);
        }
        return b.build();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls until the condition holds. */
    static void await(String what, Duration timeout, IoCondition condition) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what, last);
    }

    interface IoCondition {
        boolean holds() throws Exception;
    }

    static BooleanSupplier never() {
        return () -> false;
    }

    @Override
    public void close() throws IOException {
        for (SyncthingProcess p : processes) {
            p.stop();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
