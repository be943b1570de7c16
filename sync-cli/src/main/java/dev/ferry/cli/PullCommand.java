package dev.ferry.cli;

import dev.ferry.core.SyncMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry pull [NAME]}: a pair's remote brought down into its local folder. */
@Command(name = "pull", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Bring a sync pair's remote data down into its local folder (created if missing). Deletes "
                + "nothing locally unless --mirror (or the pair was added with --pull mirror).")
final class PullCommand extends PairRunCommand {

    @Option(names = "--mirror", description = "Make the local folder identical to the remote: delete local files the "
            + "remote does not have.")
    boolean mirror;

    @Override
    boolean pushes() {
        return false;
    }

    @Override
    SyncMode mode() {
        return mirror ? SyncMode.MIRROR : pair().pull();
    }

    @Override
    String commandName() {
        return "pull";
    }
}
