package dev.ferry.cli;

import dev.ferry.api.TargetSpec;
import dev.ferry.core.RemoteStore;
import dev.ferry.core.RemotesConfig;
import dev.ferry.core.SyncTargets;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ferry remote ...}: named remotes without hand-editing the config file. */
@Command(name = "remote", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Manage named remotes (NAME:path anywhere a location goes).",
        subcommands = {RemoteCommand.Add.class, RemoteCommand.ListRemotes.class, RemoteCommand.Remove.class})
final class RemoteCommand implements Callable<Integer> {

    @ParentCommand
    FerryCommand parent;

    @Override
    public Integer call() {
        parent.env().err().println("ferry remote: missing subcommand (add, list, remove)");
        return ExitCode.USAGE.code();
    }

    /** What every remote subcommand shares. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        RemoteCommand remote;

        @Mixin
        CommonOptions common;

        CliEnv env() {
            return remote.parent.env();
        }

        java.nio.file.Path file() {
            return PairRunCommand.configFile(env(), common.config);
        }
    }

    /** {@code ferry remote add NAME URI [--opt KEY=VALUE]...}. */
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a named remote.")
    static final class Add extends Sub {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1", paramLabel = "URI", description = "Its location: a URI or an absolute path.") String url;

        @Option(names = "--opt", paramLabel = "KEY=VALUE", description = "An option of the remote (repeatable); "
                + "secrets as env:VAR.")
        Map<String, String> options = new LinkedHashMap<>();

        @Option(names = "--allow-plain-secrets", description = "Write passwords and keys given in plain text into the "
                + "config file (default: refused; use env:VAR).")
        boolean allowPlain;

        @Override
        public Integer call() {
            SyncTargets providers = Targets.providers();
            if (providers.provider(name).isPresent()) {
                throw CliException.usage("'" + name + "' is a URI scheme; pick another name for the remote");
            }
            // Checked as a location before it is written (env: values are not read here).
            Map<String, String> literal = new LinkedHashMap<>();
            options.forEach((k, v) -> literal.put(k, v.startsWith("env:") ? "x" : v));
            try {
                providers.parse(url, literal);
            } catch (dev.ferry.api.InvalidTargetException e) {
                throw CliException.usage("remote '" + name + "': " + SyncTargets.redact(e.getMessage()));
            }
            try {
                RemoteStore.at(file()).add(name, url, options, allowPlain);
            } catch (IllegalArgumentException | IOException e) {
                throw CliException.usage(e.getMessage());
            }
            if (!common.quiet) {
                env().out().println("added remote '" + name + "': " + SyncTargets.redact(url));
            }
            return ExitCode.OK.code();
        }
    }

    /** {@code ferry remote list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the named remotes, secrets redacted.")
    static final class ListRemotes extends Sub {
        @Option(names = "--json", description = "As JSON.")
        boolean json;

        @Override
        public Integer call() {
            RemotesConfig config;
            try {
                config = RemotesConfig.load(common.config, env().getenv());
            } catch (IOException e) {
                throw CliException.usage(e.getMessage());
            }
            Json j = new Json().beginArray();
            for (String n : config.names()) {
                Map<String, String> raw = config.rawOptions(n);
                String shownUrl = SyncTargets.redact(raw.getOrDefault(RemotesConfig.URL_KEY, ""));
                if (json) {
                    j.beginObject().field("name", n).field("url", shownUrl).name("options").beginObject();
                    raw.forEach((k, v) -> {
                        if (!k.equals(RemotesConfig.URL_KEY)) {
                            j.field(k, shown(k, v));
                        }
                    });
                    j.endObject().endObject();
                } else {
                    StringBuilder line = new StringBuilder(n).append(": ").append(shownUrl);
                    raw.forEach((k, v) -> {
                        if (!k.equals(RemotesConfig.URL_KEY)) {
                            line.append("  ").append(k).append('=').append(shown(k, v));
                        }
                    });
                    env().out().println(line);
                }
            }
            if (json) {
                env().out().println(j.endArray());
            }
            return ExitCode.OK.code();
        }

        private static String shown(String key, String value) {
            return TargetSpec.isSecretName(key) && !value.startsWith("env:") ? "***" : value;
        }
    }

    /** {@code ferry remote remove NAME}. */
    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a named remote's definition "
            + "(no data is touched).")
    static final class Remove extends Sub {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            boolean found;
            try {
                found = RemoteStore.at(file()).remove(name);
            } catch (IOException e) {
                throw CliException.usage(e.getMessage());
            }
            if (!found) {
                throw CliException.usage("no remote named '" + name + "' in " + file());
            }
            if (!common.quiet) {
                env().out().println("removed remote '" + name + "'");
            }
            return ExitCode.OK.code();
        }
    }
}
