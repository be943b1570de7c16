package dev.ferry.cli.syncthing;

import dev.ferry.backend.syncthing.NodeOptions;
import dev.ferry.backend.syncthing.SyncthingNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code ferry syncthing options [--relays on|off] ...}: show or change how the node finds peers. */
@Command(name = "options", mixinStandardHelpOptions = true, description = "Show the node's listen addresses, relays, "
        + "discovery and NAT settings, or change some.")
final class OptionsCommand extends NodeCommand {
    @Option(names = "--relays", paramLabel = "on|off", description = "Use relays.")
    String relays;

    @Option(names = "--global-discovery", paramLabel = "on|off", description = "Announce to and ask global discovery.")
    String globalDiscovery;

    @Option(names = "--local-discovery", paramLabel = "on|off", description = "Broadcast on the LAN.")
    String localDiscovery;

    @Option(names = "--nat", paramLabel = "on|off", description = "Map ports with UPnP/NAT-PMP and use STUN.")
    String nat;

    @Option(names = "--json", description = "Print the options as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        NodeOptions.Change change = NodeOptions.change();
        if (relays != null) {
            change = change.relays(onOff("--relays", relays));
        }
        if (globalDiscovery != null) {
            change = change.globalDiscovery(onOff("--global-discovery", globalDiscovery));
        }
        if (localDiscovery != null) {
            change = change.localDiscovery(onOff("--local-discovery", localDiscovery));
        }
        if (nat != null) {
            change = change.nat(onOff("--nat", nat));
        }
        SyncthingNode node = connect.node();
        node.setOptions(change);
        NodeOptions o = node.options();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("listenAddresses", o.listenAddresses());
            m.put("relays", o.relaysEnabled());
            m.put("globalDiscovery", o.globalDiscoveryEnabled());
            m.put("localDiscovery", o.localDiscoveryEnabled());
            m.put("nat", o.natEnabled());
            Output.json(spec, m);
        } else {
            var out = Output.out(spec);
            out.println("listen            " + Output.joined(o.listenAddresses()));
            out.println("relays            " + word(o.relaysEnabled()));
            out.println("global discovery  " + word(o.globalDiscoveryEnabled()));
            out.println("local discovery   " + word(o.localDiscoveryEnabled()));
            out.println("nat               " + word(o.natEnabled()));
        }
        return 0;
    }

    private boolean onOff(String option, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new ParameterException(spec.commandLine(), option + " is on or off, not '" + value + "'");
        };
    }

    private static String word(boolean on) {
        return on ? "on" : "off";
    }
}
