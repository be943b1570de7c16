package dev.ferry.cli.syncthing;

import dev.ferry.backend.syncthing.SyncthingNode;
import dev.ferry.backend.syncthing.SystemStatus;
import java.time.Duration;
import picocli.CommandLine.Command;

/** {@code ferry syncthing restart}: restart the node and wait until it answers again. */
@Command(name = "restart", mixinStandardHelpOptions = true, description = "Restart the node and wait until it answers.")
final class RestartCommand extends NodeCommand {
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
