package dev.ferry.cli;

import dev.ferry.core.PairStore;
import dev.ferry.core.RemotesConfig;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Parameters;

/**
 * {@code ferry push} and {@code pull}: a run between the two sides of a named {@link SyncPair},
 * with every option of {@code sync}/{@code copy}; the pair's own filters come after the command
 * line's, and its modes setting holds unless {@code --keep-modes}/{@code --no-keep-modes} says
 * otherwise.
 */
abstract class PairRunCommand extends RunCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", defaultValue = PairStore.DEFAULT_PAIR,
            description = "The sync pair (default: ${DEFAULT-VALUE}); see 'ferry pair list'.")
    String pairName;

    private SyncPair pair;

    /** Whether local goes to remote (push) or the other way (pull). */
    abstract boolean pushes();

    SyncPair pair() {
        if (pair == null) {
            try {
                pair = PairStore.at(configFile(env(), common.config)).require(pairName);
            } catch (IOException e) {
                throw CliException.usage(e.getMessage());
            }
        }
        return pair;
    }

    /** The config file named by --config, else the default one. */
    static Path configFile(CliEnv env, Path given) {
        return given != null ? given : RemotesConfig.defaultPath(env.getenv());
    }

    /** The remote side's location: through the encrypting wrapper when the pair has a passphrase. */
    private String remote() {
        SyncPair p = pair();
        return p.passphrase().isEmpty() ? p.remote() : "crypt:" + p.remote();
    }

    @Override
    String source() {
        return pushes() ? pair().local() : remote();
    }

    @Override
    String destination() {
        return pushes() ? remote() : pair().local();
    }

    @Override
    List<String> defaultFilterRules() {
        return pair().filters();
    }

    @Override
    SyncOptions.Builder configure(SyncOptions.Builder options) {
        return options.keepModes(keepModes != null ? keepModes : pair().keepModes());
    }

    @Override
    public Integer call() {
        SyncPair p = pair();
        // The wrapper's key: the pair's passphrase reference (env:VAR is read by Targets).
        p.passphrase().ifPresent(ref -> (pushes() ? destinationOptions : sourceOptions).putIfAbsent("password", ref));
        Path local = Path.of(p.local());
        if (pushes() && !Files.isDirectory(local)) {
            throw CliException.usage("pair '" + p.name() + "': the local folder " + local + " does not exist; "
                    + "nothing was pushed");
        }
        if (!pushes() && !Files.isDirectory(local) && !dryRun) {
            try {
                Files.createDirectories(local);
            } catch (IOException e) {
                throw CliException.fatal("pair '" + p.name() + "': cannot create the local folder " + local + ": "
                        + e.getMessage(), e);
            }
        }
        if (!common.quiet && !json) {
            boolean modes = keepModes != null ? keepModes : p.keepModes();
            env().err().println("ferry: " + commandName() + " '" + p.name() + "': " + dev.ferry.core.SyncTargets.redact(
                    source()) + " -> " + dev.ferry.core.SyncTargets.redact(destination()));
            env().err().println("ferry:   permissions: " + (modes ? "modes kept where both sides keep them"
                    : "not kept (the receiving side's umask decides)"));
            env().err().println("ferry:   sync: " + (mode() == dev.ferry.core.SyncMode.MIRROR
                    ? "mirror (files missing from the source are deleted)" : "copy (nothing is deleted)"));
        }
        return super.call();
    }
}
