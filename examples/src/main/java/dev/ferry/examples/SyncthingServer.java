package dev.ferry.examples;

import dev.ferry.backend.syncthing.Completion;
import dev.ferry.backend.syncthing.Connection;
import dev.ferry.backend.syncthing.DeviceConfig;
import dev.ferry.backend.syncthing.DeviceId;
import dev.ferry.backend.syncthing.FolderConfig;
import dev.ferry.backend.syncthing.FolderStatus;
import dev.ferry.backend.syncthing.SyncthingNode;
import dev.ferry.backend.syncthing.SyncthingProcess;
import dev.ferry.backend.syncthing.SystemStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A platform's Syncthing "server": it runs a node for its users, adds a user's device by ID,
 * shares a drive with it, shows the state of the server, its devices and folders, and can be
 * reset to factory settings (what the platform's reset button does).
 *
 * <pre>
 * SyncthingServer HOME DRIVE USER_DEVICE_ID [tcp://USER_HOST:PORT] [--reset]
 * </pre>
 */
public final class SyncthingServer {

    private SyncthingServer() {}

    /** See the class comment. */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: SyncthingServer HOME DRIVE USER_DEVICE_ID [tcp://USER_HOST:PORT] [--reset]");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        Path drive = Path.of(args[1]).toAbsolutePath();
        DeviceId user = DeviceId.parse(args[2]); // checked (Luhn) before the node hears of it
        String userAddress = args.length > 3 && args[3].startsWith("tcp://") ? args[3] : "dynamic";
        boolean reset = args[args.length - 1].equals("--reset");

        // The node: loopback GUI, no relays, no discovery, no NAT, no usage reports, no upgrades.
        try (SyncthingProcess server = SyncthingProcess.builder(home)
                .guiAddress("127.0.0.1:" + freePort())
                .listenAddress("tcp://127.0.0.1:" + freePort())
                .name("platform")
                .build()
                .start()) {
            SyncthingNode node = server.node();
            SystemStatus me = node.status();
            System.out.println("server " + me.myId() + " " + me.version() + " listening on " + me.addresses());

            // The user's device, by ID; the drive, shared with it.
            node.addDevice(DeviceConfig.builder(user).name("user").address(userAddress).build());
            Files.createDirectories(drive);
            node.addFolder(FolderConfig.builder("drive", drive).label("User drive").share(user).build());

            // The state a platform shows.
            node.scan("drive");
            Map<DeviceId, Connection> connections = node.connections();
            for (DeviceConfig d : node.devices()) {
                if (!d.id().equals(me.myId())) {
                    Connection c = connections.get(d.id());
                    System.out.println("device " + d.id().shortId() + " '" + d.name() + "' "
                            + (c != null && c.connected() ? "connected" : "not connected"));
                }
            }
            for (FolderConfig f : node.folders()) {
                FolderStatus s = node.folderStatus(f.id());
                System.out.println("folder " + f.id() + " at " + f.path() + ": " + s.state() + ", " + s.localFiles()
                        + " files, shared with " + f.devices().size() + " device(s)");
                for (DeviceId d : f.devices()) {
                    Completion c = node.completion(f.id(), d);
                    System.out.println("  " + d.shortId() + " needs " + c.needItems() + " items"
                            + (c.hasEverything() ? " (has everything)" : ""));
                }
            }

            if (reset) {
                SystemStatus after = node.factoryReset(Duration.ofSeconds(60));
                System.out.println("reset: " + node.folders().size() + " folders, " + (node.devices().size() - 1)
                        + " devices; still " + after.myId().shortId());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
