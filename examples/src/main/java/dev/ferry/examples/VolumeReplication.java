package dev.ferry.examples;

import dev.ferry.backend.syncthing.DeviceConfig;
import dev.ferry.backend.syncthing.FolderConfig;
import dev.ferry.backend.syncthing.NodeOptions;
import dev.ferry.backend.syncthing.SyncthingNode;
import dev.ferry.backend.syncthing.SyncthingProcess;
import dev.ferry.backend.syncthing.SystemStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A volume replicated between three peers given by device ID and address: relays and global
 * discovery off, peer "a" the introducer (b and c know only a, and learn each other from it),
 * a file-system watcher plus a full rescan every hour. A file written on any peer reaches the
 * others; of two conflicting edits the newer wins and the other is kept as a conflict copy.
 *
 * <p>Here the three peers run on this machine on loopback ports, so the program can show it all;
 * on real machines each runs {@link #peer} with its own address and the others' IDs.
 *
 * <pre>
 * VolumeReplication WORKDIR
 * </pre>
 */
public final class VolumeReplication {

    private static final String VOLUME = "volume";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private VolumeReplication() {}

    /** See the class comment. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: VolumeReplication WORK_DIR");
            System.err.println("  three Syncthing peers are made in WORK_DIR/a, b and c (syncthing must be installed)");
            System.exit(2);
        }
        Path work = Path.of(args[0]).toAbsolutePath();
        List<SyncthingProcess> peers = new ArrayList<>();
        try {
            for (String name : List.of("a", "b", "c")) {
                peers.add(peer(work.resolve(name), "tcp://127.0.0.1:" + freePort()));
            }
            SyncthingProcess a = peers.get(0);
            for (SyncthingProcess p : peers) {
                SystemStatus s = p.node().status();
                System.out.println("peer " + p.home().getFileName() + ": " + s.myId() + " at " + s.addresses());
            }
            // a knows b and c; b and c know only a, and take it as their introducer.
            for (SyncthingProcess other : peers.subList(1, 3)) {
                a.node().addDevice(DeviceConfig.builder(other.deviceId()).address(other.listenAddresses().get(0)).build());
                other.node().addDevice(DeviceConfig.builder(a.deviceId()).address(a.listenAddresses().get(0))
                        .introducer(true).build());
            }
            // b and c first: a introduces through the folder list it sends on its own change, which
            // must then name a folder b and c already share with it.
            for (SyncthingProcess p : List.of(peers.get(1), peers.get(2), a)) {
                FolderConfig.Builder f = FolderConfig.builder(VOLUME, Files.createDirectories(work.resolve(p.home().getFileName() + "-volume")))
                        .fsWatcher(true).fsWatcherDelayS(1).rescanIntervalS(3600);
                if (p == a) {
                    peers.subList(1, 3).forEach(o -> f.share(o.deviceId()));
                } else {
                    f.share(a.deviceId());
                }
                p.node().addFolder(f.build());
            }
            await("b and c introduced to each other", () -> peers.get(1).node().device(peers.get(2).deviceId()).isPresent()
                    && peers.get(2).node().device(peers.get(1).deviceId()).isPresent());
            System.out.println("b and c know each other through a");

            // A file written on c reaches a and b (the watcher picks it up).
            Path onC = volume(work, "c").resolve("report.txt");
            Files.writeString(onC, "written on c");
            await("report.txt everywhere", () -> Files.exists(volume(work, "a").resolve("report.txt"))
                    && Files.exists(volume(work, "b").resolve("report.txt")));
            System.out.println("report.txt from c reached a and b");

            // Two conflicting edits while a and b cannot talk: b's is newer and wins everywhere.
            pauseBetween(peers.get(0), peers.get(1), true);
            pauseBetween(peers.get(1), peers.get(2), true);
            edit(volume(work, "a").resolve("report.txt"), "edited on a", Instant.now().minusSeconds(60));
            edit(volume(work, "b").resolve("report.txt"), "edited on b", Instant.now());
            peers.get(0).node().scan(VOLUME, List.of("report.txt"));
            peers.get(1).node().scan(VOLUME, List.of("report.txt"));
            pauseBetween(peers.get(0), peers.get(1), false);
            pauseBetween(peers.get(1), peers.get(2), false);
            await("the newer edit everywhere, the other kept", () -> {
                for (String p : List.of("a", "b", "c")) {
                    if (!Files.readString(volume(work, p).resolve("report.txt")).equals("edited on b")
                            || conflictCopies(volume(work, p)).isEmpty()) {
                        return false;
                    }
                }
                return true;
            });
            Path copy = conflictCopies(volume(work, "a")).get(0);
            System.out.println("newest wins: report.txt = '" + Files.readString(volume(work, "c").resolve("report.txt"))
                    + "'; kept " + copy.getFileName() + " = '" + Files.readString(copy) + "'");
        } finally {
            peers.forEach(SyncthingProcess::stop);
        }
    }

    /**
     * One peer: its own home and listen address, relays, global and local discovery and NAT off
     * (peers are reached only at the addresses given).
     */
    static SyncthingProcess peer(Path home, String listen) throws IOException {
        SyncthingProcess p = SyncthingProcess.builder(home).guiAddress("127.0.0.1:" + freePort()).listenAddress(listen)
                .name(home.getFileName().toString()).reconnectIntervalS(5).build().start();
        p.node().setOptions(NodeOptions.change().relays(false).globalDiscovery(false).localDiscovery(false).nat(false));
        return p;
    }

    private static Path volume(Path work, String peer) {
        return work.resolve(peer + "-volume");
    }

    private static void edit(Path file, String text, Instant mtime) throws IOException {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(mtime));
    }

    private static void pauseBetween(SyncthingProcess x, SyncthingProcess y, boolean pause) throws IOException {
        for (SyncthingProcess[] pair : new SyncthingProcess[][] {{x, y}, {y, x}}) {
            SyncthingNode n = pair[0].node();
            if (n.device(pair[1].deviceId()).isEmpty()) {
                continue;
            }
            if (pause) {
                n.pauseDevice(pair[1].deviceId());
            } else {
                n.resumeDevice(pair[1].deviceId());
            }
        }
    }

    private static List<Path> conflictCopies(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().contains(".sync-conflict-")).toList();
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            if (check.holds()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("gave up after " + WAIT.toSeconds() + " s waiting for " + what);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
