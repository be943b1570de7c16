package dev.ferry.cli.syncthing;

import dev.ferry.backend.syncthing.SystemStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry syncthing status}: the node's ID, version, listen addresses and uptime. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the node's device ID, version, "
        + "listen addresses and uptime.")
final class StatusCommand extends NodeCommand {
    @Option(names = "--json", description = "Print JSON: {\"myID\", \"version\", \"listen\", ...}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SystemStatus s = connect.node().status();
        if (json) {
            Output.json(spec, Output.status(s));
        } else {
            var out = Output.out(spec);
            out.println("ID        " + s.myId());
            out.println("version   " + s.version());
            out.println("listen    " + Output.joined(s.listen()));
            out.println("addresses " + Output.joined(s.addresses()));
            out.println("uptime    " + s.uptime().toSeconds() + " s");
        }
        return 0;
    }
}
