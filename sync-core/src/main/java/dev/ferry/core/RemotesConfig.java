package dev.ferry.core;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.core.SyncTargets;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Named remotes read from an INI-style config file, in the manner of rclone's {@code rclone.conf},
 * so that {@code ferry sync ./photos photos-ftp:} or {@code SyncTargets.open("backup:2024/june")}
 * work without repeating a server's address and credentials.
 *
 * <pre>
 * # ~/.config/ferry/ferry.conf
 * [photos-ftp]
 * url      = ftp://me@ftp.example.com/photos
 * password = env:PHOTOS_FTP_PASSWORD
 *
 * [backup]
 * url    = s3://my-bucket/backup?region=eu-west-1
 * endpoint = http://127.0.0.1:9000
 * </pre>
 *
 * <h2>Syntax</h2>
 * <ul>
 *   <li>{@code [name]} starts a remote; a name is letters, digits, {@code _ - .}, at least two
 *       characters, and not a URI scheme a provider serves.</li>
 *   <li>{@code key = value} sets an option of the current remote. Spaces around key and value are
 *       dropped; a value wholly in double or single quotes loses them (to keep outer spaces).
 *       There are no inline comments and no escapes: a {@code #} inside a value is part of it.</li>
 *   <li>Lines starting with {@code #} or {@code ;} are comments; blank lines are ignored.</li>
 *   <li>A header with two words, {@code [pair data]} or {@code [settings pairs]}, starts a section
 *       of another kind ({@link ConfigFile}); those are not remotes and are read elsewhere.</li>
 *   <li>The key {@code url} is required: the location, in the syntax of
 *       {@link SyncTargets#parse}: a URI (whose query string and {@code user:password@} become
 *       options) or an absolute local path ({@code ~/} is the user's home directory).</li>
 *   <li>Every other key is an option of the target and wins over the same option in the URL's
 *       query string.</li>
 *   <li>A value {@code env:VAR} is read from environment variable {@code VAR} (an error if it is
 *       not set), so a secret need not be written into the file.</li>
 *   <li>Environment variable {@code FERRY_REMOTE_<NAME>_<KEY>} (name and key upper-cased, every
 *       character other than a letter or digit turned into {@code _}) overrides or supplies an
 *       option: a key written in the file, {@code url}, {@code user}, {@code password}, or any option
 *       the provider of the URL's scheme declares. For example {@code FERRY_REMOTE_PHOTOS_FTP_PASSWORD}
 *       for the {@code password} of {@code [photos-ftp]}.</li>
 * </ul>
 *
 * <h2>Where the file is</h2>
 * {@link #defaultPath(Function)}: {@code $FERRY_CONFIG}, else
 * {@code $XDG_CONFIG_HOME/ferry/ferry.conf}, else {@code ~/.config/ferry/ferry.conf}. A missing
 * file at the XDG or home location means "no remotes"; a missing file that was asked for by name
 * (an argument or {@code $FERRY_CONFIG}) is an error.
 *
 * <p>Errors name the file and line. Reading the file does not resolve the remotes: a remote whose
 * URL has a scheme no provider on the class path serves, or whose {@code env:} variable is unset,
 * only fails when it is resolved ({@link #spec}), so one broken remote does not stop the others
 * from being used. Instances are immutable.
 *
 * <pre>{@code
 * SyncTargets base = SyncTargets.load();
 * RemotesConfig config = RemotesConfig.load(null, System::getenv);
 * SyncTargets targets = base.withRemotes(config.specs(base, System::getenv));
 * SyncTarget target = targets.open("photos-ftp:2024");
 * }</pre>
 */
public final class RemotesConfig {

    /** Environment variable naming the config file. */
    public static final String CONFIG_ENV = "FERRY_CONFIG";

    /** Prefix of the environment variables that override a remote's options. */
    public static final String ENV_PREFIX = "FERRY_REMOTE_";

    /** The key holding a remote's location. */
    public static final String URL_KEY = "url";

    private static final String ENV_VALUE_PREFIX = "env:";
    private static final Pattern URI_LIKE = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):(.*)$", Pattern.DOTALL);
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("//[^/@?#:]*:[^/@?#]*@");

    private record Value(String text, int line) {}

    private record Section(String name, int line, Map<String, Value> values) {}

    private static final RemotesConfig EMPTY = new RemotesConfig("(no config file)", Map.of(), List.of());

    private final String fileName;
    private final Map<String, Section> sections;
    private final List<String> warnings;

    private RemotesConfig(String fileName, Map<String, Section> sections, List<String> warnings) {
        this.fileName = fileName;
        this.sections = sections;
        this.warnings = warnings;
    }

    /** No remotes. */
    public static RemotesConfig empty() {
        return EMPTY;
    }

    /**
     * Where the config file is looked for: {@code $FERRY_CONFIG}, else
     * {@code $XDG_CONFIG_HOME/ferry/ferry.conf}, else {@code ~/.config/ferry/ferry.conf}.
     *
     * @param env environment lookup ({@code System::getenv}); returns {@code null} for unset
     */
    public static Path defaultPath(Function<String, String> env) {
        String explicit = env.apply(CONFIG_ENV);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(expandHome(explicit.trim()));
        }
        String xdg = env.apply("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "ferry", "ferry.conf");
        }
        return Path.of(System.getProperty("user.home"), ".config", "ferry", "ferry.conf");
    }

    /**
     * Reads the config file named by {@code file}, or, when it is {@code null}, the one at
     * {@link #defaultPath(Function)}.
     *
     * @param file a file the user named, or {@code null} for the default
     * @param env environment lookup, used for {@code $FERRY_CONFIG} and the default location
     * @return the remotes; {@link #empty()} if {@code file} is {@code null}, {@code $FERRY_CONFIG} is
     *     unset and no file exists at the default location
     * @throws InvalidTargetException for a syntax error (naming file and line), or a named file
     *     that does not exist
     * @throws IOException if the file cannot be read
     */
    public static RemotesConfig load(Path file, Function<String, String> env) throws IOException {
        if (file != null) {
            return read(file);
        }
        Path path = defaultPath(env);
        String explicit = env.apply(CONFIG_ENV);
        boolean named = explicit != null && !explicit.isBlank();
        if (!named && !Files.exists(path)) {
            return EMPTY;
        }
        return read(path);
    }

    /**
     * Reads and checks a config file (syntax only: remotes are resolved by {@link #spec}).
     * {@link #warnings()} tells whether the file holds a secret while others may read it.
     *
     * @throws InvalidTargetException if the file does not exist or has a syntax error (naming file
     *     and line)
     * @throws IOException if it cannot be read
     */
    public static RemotesConfig read(Path file) throws IOException {
        String text = ConfigFile.readText(file)
                .orElseThrow(() -> new InvalidTargetException("config file not found: " + file));
        RemotesConfig config = parse(text, file.toString());
        List<String> warnings = new ArrayList<>(config.warnings);
        worldReadableWarning(file, config).ifPresent(warnings::add);
        return new RemotesConfig(config.fileName, config.sections, List.copyOf(warnings));
    }

    /**
     * Parses config text.
     *
     * @param text the content of a config file
     * @param fileName how to name the file in messages
     * @throws InvalidTargetException for a syntax error, naming file and line
     */
    public static RemotesConfig parse(String text, String fileName) throws InvalidTargetException {
        Objects.requireNonNull(fileName, "fileName");
        Map<String, Section> sections = new LinkedHashMap<>();
        // Typed sections ([pair data], [settings pairs]) belong to their own readers.
        for (ConfigFile.Section cs : ConfigFile.parse(text, fileName).sections(ConfigFile.REMOTE)) {
            Map<String, Value> values = new LinkedHashMap<>();
            for (ConfigFile.Setting setting : cs.settings()) {
                Value old = values.get(setting.key());
                if (old != null) {
                    throw error(fileName, setting.line(), "option '" + setting.key() + "' is set twice in ["
                            + cs.name() + "] (first at line " + old.line + ")");
                }
                values.put(setting.key(), new Value(setting.value(), setting.line()));
            }
            sections.put(cs.name(), new Section(cs.name(), cs.line(), Collections.unmodifiableMap(values)));
        }
        return new RemotesConfig(fileName, Collections.unmodifiableMap(sections), List.of());
    }

    /** The file this came from, for messages. */
    public String fileName() {
        return fileName;
    }

    /**
     * A remote's options as written in the file, {@code url} included, {@code env:} references
     * not resolved: for listings (which must still redact literal secrets).
     *
     * @throws IllegalArgumentException if there is no remote of that name
     */
    public Map<String, String> rawOptions(String name) {
        Section s = sections.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no remote named '" + name + "' in " + fileName);
        }
        Map<String, String> out = new LinkedHashMap<>();
        s.values.forEach((k, v) -> out.put(k, v.text));
        return Collections.unmodifiableMap(out);
    }

    /** The remote names, in file order. */
    public Set<String> names() {
        return sections.keySet();
    }

    /** Whether there are no remotes. */
    public boolean isEmpty() {
        return sections.isEmpty();
    }

    /**
     * Problems worth telling the user that do not stop anything: the file holds a secret and other
     * users may read it.
     */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Resolves one remote: its URL and options, {@code env:} values and
     * {@code FERRY_REMOTE_<NAME>_<KEY>} overrides applied, parsed with {@code targets}.
     *
     * @param name a remote name from {@link #names()}
     * @param targets the providers (used to parse the URL and to know which options a scheme has)
     * @param env environment lookup ({@code System::getenv}); returns {@code null} for unset
     * @throws InvalidTargetException naming file, line and remote: no {@code url}, an unset
     *     environment variable, a malformed URL, an unknown scheme, a relative path, a remote named
     *     like a scheme
     * @throws IllegalArgumentException if there is no remote of that name
     */
    public TargetSpec spec(String name, SyncTargets targets, Function<String, String> env)
            throws InvalidTargetException {
        Section s = sections.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no remote named '" + name + "' in " + fileName);
        }
        String where = fileName + ":" + s.line + ": remote [" + name + "]";
        // A missing url is not a syntax error: FERRY_REMOTE_<NAME>_URL may supply it.
        if (targets.provider(name).isPresent()) {
            throw new InvalidTargetException(where + " has the name of a URI scheme; pick another name");
        }
        String envBase = ENV_PREFIX + envName(name) + "_";

        String url = resolveValue(s, URL_KEY, envBase, env);
        if (url == null || url.isBlank()) {
            throw new InvalidTargetException(where + " has no 'url' (set it in the file or with "
                    + envBase + "URL)");
        }
        url = url.strip();
        Value urlValue = s.values.get(URL_KEY);
        String urlWhere = fileName + ":" + (urlValue == null ? s.line : urlValue.line) + ": remote [" + name + "]";

        Map<String, String> options = new LinkedHashMap<>();
        for (String key : s.values.keySet()) {
            if (!key.equals(URL_KEY)) {
                options.put(key, resolveValue(s, key, envBase, env));
            }
        }

        boolean uri = URI_LIKE.matcher(url).matches() && url.indexOf(':') > 1;
        String location = url;
        if (!uri) {
            location = expandHome(url);
            try {
                if (!Path.of(location).isAbsolute()) {
                    throw new InvalidTargetException(urlWhere + ": url '" + url
                            + "' is a relative path; use an absolute path or ~/");
                }
            } catch (InvalidPathException e) {
                throw new InvalidTargetException(urlWhere + ": url is not a valid path: " + e.getMessage());
            }
        }

        // Options a provider declares, and the userinfo ones, may come from the environment alone.
        Set<String> extraKeys = new LinkedHashSet<>(List.of("user", "password"));
        String scheme = uri ? url.substring(0, url.indexOf(':')) : "file";
        targets.provider(scheme).map(SyncTargetProvider::options).orElse(List.of())
                .stream().map(TargetOption::name).forEach(extraKeys::add);
        for (String key : extraKeys) {
            if (!options.containsKey(key)) {
                String v = env.apply(envBase + envName(key));
                if (v != null) {
                    options.put(key, v);
                }
            }
        }

        try {
            return targets.parse(location, options);
        } catch (InvalidTargetException e) {
            throw new InvalidTargetException(urlWhere + ": " + e.getMessage(), e);
        }
    }

    /**
     * Resolves every remote, for {@link SyncTargets#withRemotes}.
     *
     * @throws InvalidTargetException for the first remote that does not resolve (see {@link #spec})
     */
    public Map<String, TargetSpec> specs(SyncTargets targets, Function<String, String> env)
            throws InvalidTargetException {
        Map<String, TargetSpec> out = new LinkedHashMap<>();
        for (String name : sections.keySet()) {
            out.put(name, spec(name, targets, env));
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "RemotesConfig[" + fileName + ": " + String.join(", ", sections.keySet()) + "]";
    }

    /**
     * The environment variable that overrides option {@code key} of remote {@code name}:
     * {@code FERRY_REMOTE_<NAME>_<KEY>}.
     */
    public static String environmentVariable(String name, String key) {
        return ENV_PREFIX + envName(name) + "_" + envName(key);
    }

    private String resolveValue(Section s, String key, String envBase, Function<String, String> env)
            throws InvalidTargetException {
        String override = env.apply(envBase + envName(key));
        if (override != null) {
            return override;
        }
        Value v = s.values.get(key);
        if (v == null) {
            return null;
        }
        if (v.text.startsWith(ENV_VALUE_PREFIX)) {
            String var = v.text.substring(ENV_VALUE_PREFIX.length()).strip();
            String where = fileName + ":" + v.line + ": remote [" + s.name + "]: option '" + key + "'";
            if (var.isEmpty()) {
                throw new InvalidTargetException(where + " says env: without a variable name");
            }
            String fromEnv = env.apply(var);
            if (fromEnv == null) {
                throw new InvalidTargetException(where + " comes from environment variable " + var
                        + ", which is not set");
            }
            return fromEnv;
        }
        return v.text;
    }

    private static Optional<String> worldReadableWarning(Path file, RemotesConfig config) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return Optional.empty();
        }
        if (!perms.contains(PosixFilePermission.OTHERS_READ) && !perms.contains(PosixFilePermission.GROUP_READ)) {
            return Optional.empty();
        }
        for (Section s : config.sections.values()) {
            for (Map.Entry<String, Value> e : s.values.entrySet()) {
                String text = e.getValue().text;
                boolean literalSecret = TargetSpec.isSecretName(e.getKey()) && !text.startsWith(ENV_VALUE_PREFIX)
                        && !text.isEmpty();
                boolean passwordInUrl = e.getKey().equals(URL_KEY) && USERINFO_PASSWORD.matcher(text).find();
                if (literalSecret || passwordInUrl) {
                    return Optional.of(file + " holds a credential (" + (passwordInUrl ? "a password in the url" : "'"
                            + e.getKey() + "'") + " of [" + s.name + "], line " + e.getValue().line
                            + ") and other users may read it: chmod 600 it, or use env:VAR or "
                            + environmentVariable(s.name, passwordInUrl ? "password" : e.getKey()));
                }
            }
        }
        return Optional.empty();
    }

    private static String envName(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toUpperCase(Locale.ROOT).toCharArray()) {
            b.append(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ? c : '_');
        }
        return b.toString();
    }

    private static String expandHome(String path) {
        if (path.equals("~")) {
            return System.getProperty("user.home");
        }
        if (path.startsWith("~/")) {
            return System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }

    private static InvalidTargetException error(String file, int line, String message) {
        return ConfigFile.error(file, line, message);
    }
}
