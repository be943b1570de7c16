package dev.ferry.cli.syncthing;

import dev.ferry.backend.syncthing.Connection;
import dev.ferry.backend.syncthing.DeviceConfig;
import dev.ferry.backend.syncthing.DeviceId;
import dev.ferry.backend.syncthing.SyncthingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry syncthing device list|add|remove}. */
@Command(name = "device", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "list|add|remove",
        description = "List, add or remove devices.",
        subcommands = {DeviceCommand.ListDevices.class, DeviceCommand.AddDevice.class, DeviceCommand.RemoveDevice.class})
final class DeviceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: list, add or remove");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the devices with their connection state.")
    static final class ListDevices extends NodeCommand {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            SyncthingNode node = connect.node();
            DeviceId me = node.myId();
            Map<DeviceId, Connection> connections = node.connections();
            List<Object> rows = new ArrayList<>();
            for (DeviceConfig d : node.devices()) {
                if (d.id().equals(me)) {
                    continue;
                }
                Connection c = connections.get(d.id());
                if (json) {
                    rows.add(Output.device(d, c));
                } else {
                    Output.out(spec).printf("%s  %-12s %-10s %s%s%s%n", d.id(), d.name().isEmpty() ? "-" : d.name(),
                            c != null && c.connected() ? "connected" : d.paused() ? "paused" : "offline",
                            Output.joined(d.addresses()), d.introducer() ? "  introducer" : "",
                            d.introducedBy().map(i -> "  (introduced by " + i.shortId() + ")").orElse(""));
                }
            }
            if (json) {
                Output.json(spec, rows);
            }
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a device by ID (or replace it).")
    static final class AddDevice extends NodeCommand {
        @Parameters(paramLabel = "ID", description = "The device ID.")
        String id;

        @Option(names = "--address", paramLabel = "tcp://HOST:PORT", description = "Where to dial it (repeatable; "
                + "default dynamic).")
        List<String> addresses = new ArrayList<>();

        @Option(names = "--name", description = "A name for people.")
        String name = "";

        @Option(names = "--introducer", description = "Take over the devices and folders it shares.")
        boolean introducer;

        @Option(names = "--auto-accept", description = "Accept folders it offers without asking.")
        boolean autoAccept;

        @Override
        public Integer call() throws Exception {
            DeviceId device = SyncthingCommand.deviceId(spec, id);
            DeviceConfig config;
            try {
                config = DeviceConfig.builder(device).name(name).addresses(addresses).introducer(introducer)
                        .autoAcceptFolders(autoAccept).build();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            connect.node().addDevice(config);
            Output.out(spec).println("added " + device);
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a device.")
    static final class RemoveDevice extends NodeCommand {
        @Parameters(paramLabel = "ID", description = "The device ID.")
        String id;

        @Override
        public Integer call() throws Exception {
            DeviceId device = SyncthingCommand.deviceId(spec, id);
            connect.node().removeDevice(device);
            Output.out(spec).println("removed " + device);
            return 0;
        }
    }
}
