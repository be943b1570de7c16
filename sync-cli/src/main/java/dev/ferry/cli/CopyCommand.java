package dev.ferry.cli;

import dev.ferry.core.SyncMode;
import picocli.CommandLine.Command;

/** {@code ferry copy SRC DST}. */
@Command(name = "copy", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Copy new and changed files from SRC to DST; never delete anything on DST.")
final class CopyCommand extends RunCommand {

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

    @Override
    SyncMode mode() {
        return SyncMode.COPY;
    }

    @Override
    String commandName() {
        return "copy";
    }
}
