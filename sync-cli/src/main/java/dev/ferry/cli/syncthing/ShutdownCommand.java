package dev.ferry.cli.syncthing;

import picocli.CommandLine.Command;

/** {@code ferry syncthing shutdown}: stop the node. */
@Command(name = "shutdown", mixinStandardHelpOptions = true, description = "Stop the node.")
final class ShutdownCommand extends NodeCommand {
    @Override
    public Integer call() throws Exception {
        connect.node().shutdown();
        Output.out(spec).println("shutting down");
        return 0;
    }
}
