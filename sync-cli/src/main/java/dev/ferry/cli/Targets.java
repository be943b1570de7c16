package dev.ferry.cli;

import dev.ferry.api.AuthenticationException;
import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.api.TargetSpec;
import dev.ferry.core.RemotesConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The providers found on the class path plus the named remotes of the config file: turns the
 * command line's locations into open targets, mapping each failure to its exit code.
 */
final class Targets {

    private static final Pattern REMOTE_PREFIX = Pattern.compile("^([A-Za-z0-9][A-Za-z0-9_.-]+):");
    private static final String ENV_VALUE_PREFIX = "env:";

    private final SyncTargets targets;
    /** Remotes of the config file that did not resolve, with why: only an error if used. */
    private final Map<String, String> brokenRemotes;
    private final CliEnv env;
    private final String configName;

    private Targets(SyncTargets targets, Map<String, String> brokenRemotes, CliEnv env, String configName) {
        this.targets = targets;
        this.brokenRemotes = brokenRemotes;
        this.env = env;
        this.configName = configName;
    }

    /** The providers only, no config file. */
    static SyncTargets providers() {
        try {
            return SyncTargets.load(Targets.class.getClassLoader());
        } catch (IllegalStateException | java.util.ServiceConfigurationError e) {
            throw CliException.fatal(e.getMessage(), e);
        }
    }

    /** Providers and the remotes of {@code configFile} (or the default config file). */
    static Targets load(CliEnv env, Path configFile) {
        SyncTargets base = providers();
        RemotesConfig config;
        try {
            config = RemotesConfig.load(configFile, env.getenv());
        } catch (InvalidTargetException e) {
            throw CliException.usage(e.getMessage());
        } catch (IOException e) {
            throw CliException.usage("cannot read config file: " + e.getMessage());
        }
        for (String w : config.warnings()) {
            env.err().println("ferry: warning: " + w);
        }
        Map<String, TargetSpec> good = new LinkedHashMap<>();
        Map<String, String> broken = new LinkedHashMap<>();
        for (String name : config.names()) {
            try {
                good.put(name, config.spec(name, base, env.getenv()));
            } catch (InvalidTargetException e) {
                broken.put(name, e.getMessage());
            }
        }
        try {
            String name = config.isEmpty() && configFile == null
                    ? RemotesConfig.defaultPath(env.getenv()).toString() : config.fileName();
            return new Targets(base.withRemotes(good), broken, env, name);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(config.fileName() + ": " + e.getMessage());
        }
    }

    SyncTargets registry() {
        return targets;
    }

    /**
     * Parses a location with extra options ({@code --src-opt}); a value {@code env:VAR} is read
     * from the environment.
     *
     * @param role "source", "destination" or "location", for messages
     */
    TargetSpec parse(String location, Map<String, String> extraOptions, String role) {
        Matcher m = REMOTE_PREFIX.matcher(location);
        if (m.find() && brokenRemotes.containsKey(m.group(1)) && targets.provider(m.group(1)).isEmpty()) {
            throw CliException.usage(brokenRemotes.get(m.group(1)));
        }
        if (m.find(0) && !location.contains("://") && targets.provider(m.group(1)).isEmpty()
                && !targets.remotes().containsKey(m.group(1)) && !targets.wrappers().containsKey(m.group(1))) {
            // name: with no such remote and no such scheme: the user meant a remote.
            throw CliException.usage(role + ": no remote named '" + m.group(1) + "' in " + configName
                    + "; " + remoteList() + "; known schemes: " + String.join(", ", targets.providers().keySet())
                    + (targets.wrappers().isEmpty() ? "" : "; wrappers: " + String.join(", ", targets.wrappers().keySet())));
        }
        if (isRemoteName(location) && !java.nio.file.Files.exists(Path.of(location))) {
            // A bare word that names a remote, and no such folder here: the colon was forgotten.
            throw CliException.usage(role + ": there is no folder '" + location + "' here, but there is a remote of "
                    + "that name: write '" + location + ":' for the remote (or './" + location
                    + "' for a new local folder)");
        }
        Map<String, String> options = new LinkedHashMap<>();
        extraOptions.forEach((k, v) -> options.put(k, resolveEnv(k, v)));
        try {
            return targets.parse(location, options);
        } catch (InvalidTargetException e) {
            String hint = "";
            if (m.find(0) && !location.contains("://") && targets.remotes().isEmpty()
                    && targets.provider(m.group(1)).isEmpty()) {
                hint = "; to use a remote named '" + m.group(1) + "', define [" + m.group(1) + "] in " + configName;
            }
            throw CliException.usage(role + ": " + e.getMessage() + hint);
        }
    }

    /** Whether a location is exactly the name of a remote of the config file (usable or not). */
    private boolean isRemoteName(String location) {
        return targets.remotes().containsKey(location) || brokenRemotes.containsKey(location);
    }

    /** Every remote of the config file, those that cannot be used now marked with why. */
    String remoteList() {
        if (targets.remotes().isEmpty() && brokenRemotes.isEmpty()) {
            return "it defines no remotes";
        }
        java.util.TreeMap<String, String> all = new java.util.TreeMap<>();
        targets.remotes().keySet().forEach(n -> all.put(n, n));
        brokenRemotes.forEach((n, why) -> all.put(n, n + " (unusable: " + why + ")"));
        return "its remotes: " + String.join(", ", all.values());
    }

    /** Opens a parsed location: a bad option value is bad usage, anything else fatal. */
    SyncTarget open(TargetSpec spec, String role) {
        try {
            return targets.open(spec);
        } catch (InvalidTargetException e) {
            throw CliException.usage(role + " " + describe(spec) + ": " + e.getMessage());
        } catch (AuthenticationException e) {
            throw CliException.fatal(role + " " + describe(spec) + ": authentication failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw CliException.fatal("cannot open " + role + " " + describe(spec) + ": " + e.getMessage(), e);
        }
    }

    /** Where a spec points, without options or credentials. */
    static String describe(TargetSpec spec) {
        if (spec.scheme().equals("file")) {
            try {
                return Path.of(spec.location()).toString();
            } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                // fall through to the URI
            }
        }
        return SyncTargets.redact(spec.location().toString());
    }

    private String resolveEnv(String key, String value) {
        if (value == null || !value.startsWith(ENV_VALUE_PREFIX)) {
            return value;
        }
        String var = value.substring(ENV_VALUE_PREFIX.length()).strip();
        String v = var.isEmpty() ? null : env.getenv().apply(var);
        if (v == null) {
            throw CliException.usage("option '" + key + "' comes from environment variable '" + var
                    + "', which is not set");
        }
        return v;
    }
}
