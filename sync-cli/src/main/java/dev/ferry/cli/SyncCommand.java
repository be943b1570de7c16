package dev.ferry.cli;

import dev.ferry.core.SyncMode;
import picocli.CommandLine.Command;

/** {@code ferry sync SRC DST}. */
@Command(name = "sync", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Make DST identical to SRC: copy new and changed files, delete what SRC does not have. "
                + "Try --dry-run first.")
final class SyncCommand extends RunCommand {
    @Override
    SyncMode mode() {
        return SyncMode.MIRROR;
    }

    @Override
    String commandName() {
        return "sync";
    }
}
