package dev.ferry.cli.syncthing;

import dev.ferry.backend.syncthing.SystemStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry syncthing status}: the node's ID, version, listen addresses and uptime. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the node's device ID, version, "
        + "listen addresses and uptime.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    Connect connect;

    @Spec
    CommandSpec spec;

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
