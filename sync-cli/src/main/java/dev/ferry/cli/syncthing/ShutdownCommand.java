package dev.ferry.cli.syncthing;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ferry syncthing shutdown}: stop the node. */
@Command(name = "shutdown", mixinStandardHelpOptions = true, description = "Stop the node.")
final class ShutdownCommand implements Callable<Integer> {

    @Mixin
    Connect connect;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        connect.node().shutdown();
        Output.out(spec).println("shutting down");
        return 0;
    }
}
