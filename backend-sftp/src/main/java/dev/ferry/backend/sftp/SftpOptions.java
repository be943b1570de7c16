package dev.ferry.backend.sftp;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import dev.ferry.backend.support.SpecOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything a connection needs, parsed from a {@link TargetSpec}. {@link #toString()} never
 * shows the password or the passphrase.
 *
 * @param host the server
 * @param port the SSH port
 * @param user the login name
 * @param password the password, if one is given (secret)
 * @param keyFile a private key file, if one is given
 * @param passphrase the key file's passphrase (secret)
 * @param agentSocket the SSH agent's socket to ask for keys ({@code SSH_AUTH_SOCK} by default), if one is used
 * @param knownHosts the {@code known_hosts} file host keys are checked against
 * @param hostKey a host key fingerprint ({@code SHA256:...}) accepted although known_hosts lacks it
 * @param rootPath the root on the server: absolute, or relative to the login directory
 *     ({@code sftp://host/~/dir}); empty for the login directory
 * @param connections the most SSH sessions open at once, one per concurrent transfer
 * @param connectTimeout time allowed for connecting and logging in
 * @param timeout time allowed for one SFTP reply
 * @param keepAlive interval of keep-alive requests on idle and busy sessions; zero for none
 * @param tempMaxAge age after which leftover temporary files are deleted
 * @param shellHashes whether hashes may be computed by md5sum/sha1sum/sha256sum over SSH exec
 */
record SftpOptions(
        String host,
        int port,
        String user,
        Optional<String> password,
        Optional<Path> keyFile,
        Optional<String> passphrase,
        Optional<String> agentSocket,
        Path knownHosts,
        Optional<String> hostKey,
        String rootPath,
        int connections,
        Duration connectTimeout,
        Duration timeout,
        Duration keepAlive,
        Duration tempMaxAge,
        boolean shellHashes) {

    static final String USER = "user";
    static final String PASSWORD = "password";
    static final String KEY_FILE = "keyFile";
    static final String PASSPHRASE = "passphrase";
    static final String AGENT = "agent";
    static final String KNOWN_HOSTS = "knownHosts";
    static final String HOST_KEY = "hostKey";
    static final String CONNECTIONS = "connections";
    static final String CONNECT_TIMEOUT = "connectTimeout";
    static final String TIMEOUT = "timeout";
    static final String KEEP_ALIVE = "keepAlive";
    static final String TEMP_MAX_AGE = "tempMaxAge";
    static final String SHELL_HASHES = "shellHashes";

    static final List<TargetOption> ALL = List.of(
            TargetOption.of(USER, "login name (also from the URI's user@; default: the current user)"),
            TargetOption.secret(PASSWORD, "login password"),
            TargetOption.of(KEY_FILE, "private key file (OpenSSH or PEM format)"),
            TargetOption.secret(PASSPHRASE, "passphrase of the key file"),
            TargetOption.of(AGENT, "use the SSH agent: true, false, or its socket's path (default: the agent at SSH_AUTH_SOCK where it is set)"),
            TargetOption.of(KNOWN_HOSTS, "known_hosts file host keys are checked against (default ~/.ssh/known_hosts)"),
            TargetOption.of(HOST_KEY, "accept this host key fingerprint (SHA256:...) although known_hosts lacks it"),
            TargetOption.of(CONNECTIONS, "most SSH sessions open at once, one per concurrent transfer (default 8)"),
            TargetOption.of(CONNECT_TIMEOUT, "time allowed for connecting and logging in (default 30s)"),
            TargetOption.of(TIMEOUT, "time allowed for one SFTP reply (default 60s)"),
            TargetOption.of(KEEP_ALIVE, "interval of keep-alive requests (default 30s; 0 for none)"),
            TargetOption.of(TEMP_MAX_AGE, "age after which leftover temporary files are deleted (default 1d)"),
            TargetOption.of(SHELL_HASHES, "compute hashes with md5sum/sha1sum/sha256sum over SSH where the login has a shell "
                    + "(default true)"));

    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");

    static SftpOptions parse(TargetSpec spec) throws InvalidTargetException {
        SpecOptions.requireKnown(spec, ALL);
        URI u = spec.location();
        String host = u.getHost();
        if (host == null || host.isEmpty()) {
            throw new InvalidTargetException("an sftp: location needs a host: sftp://user@host[:port]/path, not "
                    + u.getScheme() + "://" + (u.getRawAuthority() == null ? "" : u.getRawAuthority()) + "...");
        }
        int port = u.getPort() == -1 ? 22 : u.getPort();
        String user = spec.option(USER).orElse(u.getUserInfo());
        if (user == null || user.isEmpty()) {
            user = System.getProperty("user.name");
        }
        Optional<Path> keyFile = spec.option(KEY_FILE).map(SftpOptions::expandHome);
        Optional<String> agentSocket = agent(spec);
        Path knownHosts = spec.option(KNOWN_HOSTS).map(SftpOptions::expandHome)
                .orElse(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
        Optional<String> hostKey = spec.option(HOST_KEY).map(String::trim);
        if (hostKey.isPresent() && !FINGERPRINT.matcher(hostKey.get()).matches()) {
            throw new InvalidTargetException("option 'hostKey' must be a SHA256 fingerprint as ssh-keygen -l prints it "
                    + "(SHA256: and 43 base64 characters), not '" + hostKey.get() + "'");
        }
        String path = u.getPath() == null ? "" : u.getPath();
        String root;
        if (path.isEmpty() || path.equals("/") || path.equals("/~") || path.equals("/~/")) {
            root = "";
        } else if (path.startsWith("/~/")) {
            root = path.substring(3);
        } else {
            root = path;
        }
        while (root.length() > 1 && root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        if (path.equals("/")) {
            root = "/";
        }
        for (String segment : root.split("/")) {
            if (segment.equals("..")) {
                throw new InvalidTargetException("an sftp: location's path may not contain '..': " + u.getPath());
            }
        }
        return new SftpOptions(host, port, user, spec.option(PASSWORD), keyFile, spec.option(PASSPHRASE), agentSocket,
                knownHosts, hostKey, root,
                (int) SpecOptions.number(spec, CONNECTIONS, 8, 1, 64),
                SpecOptions.duration(spec, CONNECT_TIMEOUT, Duration.ofSeconds(30)),
                SpecOptions.duration(spec, TIMEOUT, Duration.ofSeconds(60)),
                keepAlive(spec),
                SpecOptions.duration(spec, TEMP_MAX_AGE, Duration.ofDays(1)),
                SpecOptions.flag(spec, SHELL_HASHES, true));
    }

    /** The agent's socket: {@code agent=PATH}, or SSH_AUTH_SOCK unless {@code agent=false}. */
    private static Optional<String> agent(TargetSpec spec) throws InvalidTargetException {
        String v = spec.option(AGENT).map(String::trim).orElse(null);
        String env = System.getenv("SSH_AUTH_SOCK");
        if (v != null && v.startsWith("/")) {
            if (!Files.exists(Path.of(v))) {
                throw new InvalidTargetException("option 'agent': no SSH agent socket at " + v);
            }
            return Optional.of(v);
        }
        boolean use = SpecOptions.flag(spec, AGENT, env != null && !env.isBlank());
        if (use && (env == null || env.isBlank())) {
            throw new InvalidTargetException("option 'agent=true' but no SSH agent runs here (SSH_AUTH_SOCK is not set)");
        }
        return use ? Optional.of(env) : Optional.empty();
    }

    private static Duration keepAlive(TargetSpec spec) throws InvalidTargetException {
        String v = spec.option(KEEP_ALIVE).orElse(null);
        if (v != null && v.trim().equals("0")) {
            return Duration.ZERO;
        }
        return SpecOptions.duration(spec, KEEP_ALIVE, Duration.ofSeconds(30));
    }

    private static Path expandHome(String p) {
        return p.startsWith("~/") ? Path.of(System.getProperty("user.home"), p.substring(2)) : Path.of(p);
    }

    /** {@code sftp://user@host:port/root}, for messages. */
    String description() {
        String r = rootPath.isEmpty() ? "/~" : rootPath.startsWith("/") ? rootPath : "/~/" + rootPath;
        return "sftp://" + user + "@" + (host.contains(":") ? "[" + host + "]" : host) + (port == 22 ? "" : ":" + port) + r;
    }

    @Override
    public String toString() {
        return description() + (password.isPresent() ? " (password)" : "") + keyFile.map(k -> " (key " + k + ")").orElse("");
    }
}
