package dev.ferry.cli;

import dev.ferry.core.SyncMode;
import picocli.CommandLine.Command;

/** {@code ferry sync SRC DST}. */
@Command(name = "sync", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Make DST identical to SRC: copy new and changed files, delete what SRC does not have. "
                + "Try --dry-run first.")
final class SyncCommand extends RunCommand {

    @picocli.CommandLine.Mixin
    Locations locations;

    @Override
    String source() {
        return locations.source;
    }

    @Override
    String destination() {
        return locations.destination;
    }


    @picocli.CommandLine.Option(names = "--track-renames", description = "A file that moved on SRC is moved on DST "
            + "(server-side where DST can) instead of deleted and sent again; proven as --track-renames-strategy says.")
    boolean trackRenames;

    @Override
    dev.ferry.core.SyncOptions.Builder configure(dev.ferry.core.SyncOptions.Builder options) {
        return options.trackRenames(trackRenames);
    }
    @Override
    SyncMode mode() {
        return SyncMode.MIRROR;
    }

    @Override
    String commandName() {
        return "sync";
    }
}
