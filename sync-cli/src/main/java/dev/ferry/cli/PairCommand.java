package dev.ferry.cli;

import dev.ferry.core.PairStore;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncPair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ferry pair ...}: named sync configurations between a local folder and a remote. */
@Command(name = "pair", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Manage sync pairs (a local folder <-> a remote place), used by push, pull and purge.",
        subcommands = {PairCommand.Add.class, PairCommand.ListPairs.class, PairCommand.Remove.class,
            PairCommand.Default.class})
final class PairCommand implements Callable<Integer> {

    @ParentCommand
    FerryCommand parent;

    @Override
    public Integer call() {
        parent.env().err().println("ferry pair: missing subcommand (add, list, remove, default)");
        return ExitCode.USAGE.code();
    }

    /** What every pair subcommand shares: the environment and the config file. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        PairCommand pair;

        @Mixin
        CommonOptions common;

        CliEnv env() {
            return pair.parent.env();
        }

        PairStore store() {
            return PairStore.at(PairRunCommand.configFile(env(), common.config));
        }

        /**
         * Parses a location as a later run would (a typo is an error now); nothing is contacted.
         * A config file that does not exist yet is about to be made: then no remotes are known.
         */
        void checkLocation(String location, String role) {
            if (java.nio.file.Files.exists(PairRunCommand.configFile(env(), common.config))) {
                Targets.load(env(), common.config).parse(location, java.util.Map.of(), role);
                return;
            }
            try {
                Targets.providers().parse(location, java.util.Map.of());
            } catch (dev.ferry.api.InvalidTargetException e) {
                throw CliException.usage(role + ": " + e.getMessage());
            }
        }
    }

    /** {@code ferry pair add NAME LOCAL [REMOTE]}. */
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a sync pair. Without REMOTE, the "
            + "remote is the default root (ferry pair default) plus NAME.")
    static final class Add extends Sub implements FilterRule.Holder {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1", paramLabel = "LOCAL", description = "The local folder.") String local;
        @Parameters(index = "2", arity = "0..1", paramLabel = "REMOTE",
                description = "A URI or remote:path (default: the default root plus NAME).") String remote;

        @Option(names = "--include", paramLabel = "GLOB", parameterConsumer = FilterRule.class,
                description = "Only files matching GLOB (repeatable, in order with --exclude).")
        List<String> includeOption;

        @Option(names = "--exclude", paramLabel = "GLOB", parameterConsumer = FilterRule.class,
                description = "Leave out files matching GLOB (repeatable).")
        List<String> excludeOption;

        @Option(names = "--pull", paramLabel = "MODE", defaultValue = "copy",
                description = "What pull does: copy (delete nothing locally; default) or mirror.")
        String pullMode;

        @Option(names = "--no-modes", description = "Do not carry POSIX modes (they travel by default).")
        boolean noModes;

        @Option(names = "--passphrase", paramLabel = "env:VAR", description = "Encrypt on the remote (crypt:) "
                + "with the passphrase in environment variable VAR.")
        String passphrase;

        @Option(names = "--allow-plain-passphrase", description = "Store a --passphrase that is not env:VAR as "
                + "plain text in the config file.")
        boolean allowPlain;

        private final List<String> rules = new ArrayList<>();

        @Override
        public List<String> filterRules() {
            return rules;
        }

        @Override
        public Integer call() {
            SyncMode pull = switch (pullMode.toLowerCase(java.util.Locale.ROOT)) {
                case "copy" -> SyncMode.COPY;
                case "mirror" -> SyncMode.MIRROR;
                default -> throw CliException.usage("--pull is copy or mirror, not '" + pullMode + "'");
            };
            String localPath = Path.of(local).toAbsolutePath().normalize().toString();
            try {
                PairStore store = store();
                String remoteLocation = remote != null ? remote : store.remoteFor(name);
                // A typo in the remote is caught now, not at the first push (nothing is contacted).
                checkLocation(remoteLocation, "remote");
                SyncPair p = new SyncPair(name, localPath, remoteLocation, rules, pull, !noModes,
                        Optional.ofNullable(passphrase));
                store.add(p, allowPlain);
                if (!common.quiet) {
                    env().out().println("added " + p.line());
                }
            } catch (IllegalArgumentException | IOException e) {
                throw CliException.usage(e.getMessage());
            }
            return ExitCode.OK.code();
        }
    }

    /** {@code ferry pair list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the sync pairs: NAME: LOCAL <-> REMOTE.")
    static final class ListPairs extends Sub {
        @Option(names = "--json", description = "As JSON.")
        boolean json;

        @Override
        public Integer call() {
            List<SyncPair> pairs;
            try {
                pairs = store().list();
            } catch (IOException e) {
                throw CliException.usage(e.getMessage());
            }
            if (json) {
                Json j = new Json().beginArray();
                for (SyncPair p : pairs) {
                    j.beginObject().field("name", p.name()).field("local", p.local())
                            .field("remote", dev.ferry.core.SyncTargets.redact(p.remote()))
                            .field("pull", p.pull() == SyncMode.MIRROR ? "mirror" : "copy")
                            .field("modes", p.keepModes()).field("encrypted", p.passphrase().isPresent())
                            .name("filters").beginArray();
                    p.filters().forEach(j::value);
                    j.endArray().endObject();
                }
                env().out().println(j.endArray());
            } else {
                pairs.forEach(p -> env().out().println(p.line()));
            }
            return ExitCode.OK.code();
        }
    }

    /** {@code ferry pair remove NAME}. */
    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a sync pair's configuration "
            + "(its data stays where it is; see purge).")
    static final class Remove extends Sub {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Option(names = {"-y", "--yes"}, description = "Do not ask.")
        boolean yes;

        @Override
        public Integer call() {
            try {
                store().require(name);
                if (!Confirm.ask("Remove sync configuration for '" + name + "'", yes, env())) {
                    env().err().println("ferry: nothing removed");
                    return ExitCode.OK.code();
                }
                store().remove(name);
            } catch (IOException e) {
                throw CliException.usage(e.getMessage());
            }
            if (!common.quiet) {
                env().out().println("removed sync configuration '" + name + "'");
            }
            return ExitCode.OK.code();
        }
    }

    /** {@code ferry pair default [ROOT]}. */
    @Command(name = "default", mixinStandardHelpOptions = true, description = "Show or set the root under which a "
            + "pair added without a remote goes (ROOT/NAME), such as s3://bucket/sync/$USER.")
    static final class Default extends Sub {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ROOT") String root;

        @Override
        public Integer call() {
            try {
                if (root == null) {
                    env().out().println(store().defaultRoot().map(dev.ferry.core.SyncTargets::redact).orElse("(none)"));
                    return ExitCode.OK.code();
                }
                checkLocation(root, "root");
                store().setDefaultRoot(root);
            } catch (IOException e) {
                throw CliException.usage(e.getMessage());
            }
            return ExitCode.OK.code();
        }
    }
}
