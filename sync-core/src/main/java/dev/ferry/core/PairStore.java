package dev.ferry.core;

import dev.ferry.api.InvalidTargetException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The named {@link SyncPair}s in Ferry's config file, beside the named remotes:
 *
 * <pre>
 * [settings pairs]
 * root = s3://bucket/sync/me
 *
 * [pair data]
 * local = /data
 * remote = s3://bucket/sync/me/data
 * filter = - *.tmp
 * pull = copy
 * modes = true
 * passphrase = env:FERRY_PW
 * </pre>
 *
 * Every change goes through {@link ConfigFile#update}: locked against other processes, atomic,
 * owner-only. A passphrase is stored as a reference ({@code env:VAR}) unless the caller asks for
 * the plain text. Errors name the file and line.
 */
public final class PairStore {

    /** The name a bare {@code push} or {@code pull} uses. */
    public static final String DEFAULT_PAIR = "default";

    private static final String KIND = "pair";
    private static final String SETTINGS = "settings";
    private static final String SETTINGS_NAME = "pairs";

    private final Path file;

    private PairStore(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The pairs of the config file at {@code file} (which need not exist yet). */
    public static PairStore at(Path file) {
        return new PairStore(file);
    }

    /** The config file. */
    public Path file() {
        return file;
    }

    /** Every pair, in file order. */
    public List<SyncPair> list() throws IOException {
        ConfigFile config = ConfigFile.read(file);
        List<SyncPair> out = new ArrayList<>();
        for (ConfigFile.Section s : config.sections(KIND)) {
            out.add(toPair(config, s));
        }
        return out;
    }

    /** One pair. */
    public Optional<SyncPair> get(String name) throws IOException {
        ConfigFile config = ConfigFile.read(file);
        Optional<ConfigFile.Section> s = config.section(KIND, name);
        return s.isEmpty() ? Optional.empty() : Optional.of(toPair(config, s.get()));
    }

    /**
     * One pair, or an error that names the pairs there are.
     *
     * @throws InvalidTargetException if there is no such pair
     */
    public SyncPair require(String name) throws IOException {
        Optional<SyncPair> p = get(name);
        if (p.isPresent()) {
            return p.get();
        }
        List<String> names = list().stream().map(SyncPair::name).toList();
        throw new InvalidTargetException("no sync pair named '" + name + "' in " + file
                + (names.isEmpty() ? " (there are none: add one with 'ferry pair add NAME LOCAL [REMOTE]')"
                        : " (pairs: " + String.join(", ", names) + ")"));
    }

    /**
     * Adds a pair.
     *
     * @param allowPlainPassphrase store a passphrase that is not an {@code env:} reference
     * @throws InvalidTargetException if a pair of that name exists, or the passphrase is plain
     *     text and that was not allowed
     */
    public SyncPair add(SyncPair pair, boolean allowPlainPassphrase) throws IOException {
        if (pair.passphrase().isPresent() && !pair.passphrase().get().startsWith("env:") && !allowPlainPassphrase) {
            throw new InvalidTargetException("the passphrase would be written in plain text into " + file
                    + "; give it as env:VARIABLE (or allow plain text explicitly)");
        }
        if (!Path.of(pair.local()).isAbsolute()) {
            throw new InvalidTargetException("the local folder of a pair must be an absolute path: " + pair.local());
        }
        ConfigFile.update(file, config -> {
            Optional<ConfigFile.Section> old = config.section(KIND, pair.name());
            if (old.isPresent()) {
                throw new InvalidTargetException("a sync pair named '" + pair.name() + "' exists already ("
                        + file + ":" + old.get().line() + "); remove it first or pick another name");
            }
            return config.with(KIND, pair.name(), settings(pair));
        });
        return pair;
    }

    /**
     * Removes a pair's configuration (never any data).
     *
     * @return whether there was one
     */
    public boolean remove(String name) throws IOException {
        boolean[] found = {false};
        ConfigFile.update(file, config -> {
            found[0] = config.section(KIND, name).isPresent();
            return config.without(KIND, name);
        });
        return found[0];
    }

    /** The root under which a pair added without a remote goes ({@code root/NAME}). */
    public Optional<String> defaultRoot() throws IOException {
        return ConfigFile.read(file).section(SETTINGS, SETTINGS_NAME).flatMap(s -> s.value("root"));
    }

    /** Sets the root for pairs added without a remote. */
    public void setDefaultRoot(String root) throws IOException {
        Objects.requireNonNull(root, "root");
        ConfigFile.update(file, config -> {
            List<ConfigFile.Setting> kept = new ArrayList<>();
            config.section(SETTINGS, SETTINGS_NAME).ifPresent(s -> s.settings().stream()
                    .filter(x -> !x.key().equals("root")).forEach(kept::add));
            kept.add(0, ConfigFile.Setting.of("root", root));
            return config.with(SETTINGS, SETTINGS_NAME, kept);
        });
    }

    /**
     * The remote for a new pair without one: the default root plus the name.
     *
     * @throws InvalidTargetException if no root is set
     */
    public String remoteFor(String name) throws IOException {
        String root = defaultRoot().orElseThrow(() -> new InvalidTargetException("no remote given and no default "
                + "root set; set one with 'ferry pair default URI' (such as s3://bucket/sync/$USER)"));
        return root.endsWith("/") || root.endsWith(":") ? root + name : root + "/" + name;
    }

    private static List<ConfigFile.Setting> settings(SyncPair pair) {
        List<ConfigFile.Setting> s = new ArrayList<>();
        s.add(ConfigFile.Setting.of("local", pair.local()));
        s.add(ConfigFile.Setting.of("remote", pair.remote()));
        for (String f : pair.filters()) {
            s.add(ConfigFile.Setting.of("filter", f.charAt(0) + " " + f.substring(1)));
        }
        s.add(ConfigFile.Setting.of("pull", pair.pull() == SyncMode.MIRROR ? "mirror" : "copy"));
        s.add(ConfigFile.Setting.of("modes", Boolean.toString(pair.keepModes())));
        pair.passphrase().ifPresent(p -> s.add(ConfigFile.Setting.of("passphrase", p)));
        return s;
    }

    private static SyncPair toPair(ConfigFile config, ConfigFile.Section s) throws InvalidTargetException {
        String where = config.fileName() + ":" + s.line() + ": [pair " + s.name() + "]";
        String local = s.value("local").orElseThrow(() -> new InvalidTargetException(where + " has no 'local'"));
        String remote = s.value("remote").orElseThrow(() -> new InvalidTargetException(where + " has no 'remote'"));
        List<String> filters = new ArrayList<>();
        for (ConfigFile.Setting f : s.settings()) {
            if (!f.key().equals("filter")) {
                continue;
            }
            String v = f.value().strip();
            if (v.length() < 3 || v.charAt(0) != '+' && v.charAt(0) != '-' || v.charAt(1) != ' ') {
                throw ConfigFile.error(config.fileName(), f.line(), "a filter is '+ GLOB' or '- GLOB', not '" + v + "'");
            }
            filters.add(v.charAt(0) + v.substring(2).strip());
        }
        SyncMode pull = switch (s.value("pull").orElse("copy").toLowerCase(Locale.ROOT)) {
            case "copy" -> SyncMode.COPY;
            case "mirror" -> SyncMode.MIRROR;
            default -> throw new InvalidTargetException(where + ": pull is copy or mirror, not '"
                    + s.value("pull").get() + "'");
        };
        boolean modes = switch (s.value("modes").orElse("true").toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new InvalidTargetException(where + ": modes is true or false, not '"
                    + s.value("modes").get() + "'");
        };
        for (ConfigFile.Setting x : s.settings()) {
            if (!List.of("local", "remote", "filter", "pull", "modes", "passphrase").contains(x.key())) {
                throw ConfigFile.error(config.fileName(), x.line(), "unknown pair option '" + x.key()
                        + "' (known: local, remote, filter, pull, modes, passphrase)");
            }
        }
        return new SyncPair(s.name(), local, remote, filters, pull, modes, s.value("passphrase"));
    }

    @Override
    public String toString() {
        return "PairStore[" + file + "]";
    }
}
