package dev.ferry.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {

    @Option(names = {"-v", "--verbose"}, description = "One line per action (and notices such as skipped symlinks).")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "No progress and no summary; errors only.")
    boolean quiet;

    @Option(names = "--config", paramLabel = "FILE", description = "Remotes config file (default: $FERRY_CONFIG, "
            + "else $XDG_CONFIG_HOME/ferry/ferry.conf, else ~/.config/ferry/ferry.conf).")
    Path config;

    @Option(names = "--debug", description = "Debug logging and stack traces.")
    boolean debug;

    void check() {
        if (verbose && quiet) {
            throw CliException.usage("-v/--verbose and -q/--quiet contradict each other; pick one");
        }
    }
}
