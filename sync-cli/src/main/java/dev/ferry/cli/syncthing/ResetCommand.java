package dev.ferry.cli.syncthing;

import dev.ferry.backend.syncthing.SyncthingNode;
import dev.ferry.backend.syncthing.SystemStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code ferry syncthing reset [--yes]}: factory reset, after asking (on a terminal) or with --yes. */
@Command(name = "reset", mixinStandardHelpOptions = true, description = "Factory reset: remove every folder and device, "
        + "reset the database, restart. The node keeps its ID, options and GUI; files stay on disk. Asks first on a "
        + "terminal; elsewhere needs --yes.")
final class ResetCommand extends NodeCommand {
    @Option(names = "--yes", description = "Do not ask.")
    boolean yes;

    @Override
    public Integer call() throws Exception {
        SyncthingNode node = connect.node();
        SystemStatus s = node.status();
        if (!yes) {
            if (!SyncthingCommand.terminal.getAsBoolean()) {
                throw new ParameterException(spec.commandLine(), "reset removes every folder and device of " + s.myId().shortId()
                        + "; not on a terminal, so confirm with --yes");
            }
            var out = Output.out(spec);
            out.print("Remove every folder (" + node.folders().size() + ") and device (" + (node.devices().size() - 1)
                    + ") of " + s.myId().shortId() + " and reset its database? [y/N] ");
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())).readLine();
            if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).startsWith("y")) {
                out.println("nothing changed");
                return 0;
            }
        }
        SystemStatus after = node.factoryReset(Duration.ofSeconds(120));
        Output.out(spec).println("reset " + after.myId() + "; it answers again");
        return 0;
    }
}
