package dev.ferry.cli.syncthing;

import dev.ferry.backend.syncthing.DeviceId;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ferry syncthing ...}: manage a Syncthing node through its REST API, or run one. */
@Command(name = "syncthing", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = "Manage a Syncthing node (devices, folders, pending offers, options, completion, restart, "
                + "reset) through its REST API, or run one in the foreground.",
        subcommands = {StatusCommand.class, DeviceCommand.class, FolderCommand.class, PendingCommand.class,
            OptionsCommand.class, CompletionCommand.class, ScanCommand.class, RestartCommand.class,
            ShutdownCommand.class, ResetCommand.class, RunNodeCommand.class})
public final class SyncthingCommand implements Callable<Integer> {

    /** The environment lookup (tests replace it). */
    static Function<String, String> env = System::getenv;
    /** Whether a person can be asked (tests replace it). */
    static BooleanSupplier terminal = () -> System.console() != null;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: status, device, folder, pending, options, "
                + "completion, scan, restart, shutdown, reset or run");
    }

    /** A device ID from the command line, or a usage error naming what is wrong with it. */
    static DeviceId deviceId(CommandSpec spec, String text) {
        try {
            return DeviceId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "'" + text + "' is not a device ID: " + e.getMessage());
        }
    }
}
