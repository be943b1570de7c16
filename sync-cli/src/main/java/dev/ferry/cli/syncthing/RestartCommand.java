package dev.ferry.cli.syncthing;

import dev.ferry.backend.syncthing.SyncthingNode;
import dev.ferry.backend.syncthing.SystemStatus;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ferry syncthing restart}: restart the node and wait until it answers again. */
@Command(name = "restart", mixinStandardHelpOptions = true, description = "Restart the node and wait until it answers.")
final class RestartCommand implements Callable<Integer> {

    @Mixin
    Connect connect;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SyncthingNode node = connect.node();
        SystemStatus before = node.status();
        node.restart();
        SystemStatus after = node.awaitRestart(before.startTime(), Duration.ofSeconds(120));
        Output.out(spec).println("restarted " + after.myId());
        return 0;
    }
}
