package dev.ferry.cli;

import dev.ferry.core.SyncMode;
import picocli.CommandLine.Command;

/** {@code ferry push [NAME]}: a pair's local folder mirrored to its remote. */
@Command(name = "push", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Send a sync pair's local changes up: its remote becomes identical to its local folder "
                + "(deletions included, with the same safety limits as sync). Takes the options of sync.")
final class PushCommand extends PairRunCommand {

    @Override
    boolean pushes() {
        return true;
    }

    @Override
    SyncMode mode() {
        return SyncMode.MIRROR;
    }

    @Override
    String commandName() {
        return "push";
    }
}
