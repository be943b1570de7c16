package dev.ferry.serve;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetSpec;
import dev.ferry.core.ConfigFile;
import dev.ferry.core.Filter;
import dev.ferry.core.PairStore;
import dev.ferry.core.RemotesConfig;
import dev.ferry.core.SyncJob;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncPair;
import dev.ferry.core.SyncTargets;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Builds the {@link FerryServer} that {@code ferry serve} runs: every {@code [job NAME]} of the
 * config file, its remotes (listed redacted), and the {@code [settings serve]} section:
 *
 * <pre>
 * [settings serve]
 * addr = 127.0.0.1:5572
 * token-file = /var/lib/ferry/serve.token
 * tls-keystore = /etc/ferry/serve.p12       # PKCS#12 with the certificate and its key
 * tls-keystore-password = env:FERRY_TLS_PASSWORD
 * </pre>
 *
 * The command line's {@code --addr} and {@code --token-file} win over the file.
 */
public final class ServeConfig {

    /** The typed section's name: {@code [settings serve]}. */
    public static final String SETTINGS = "serve";

    private ServeConfig() {}

    /**
     * Reads {@code configFile} and opens every job's targets.
     *
     * @param addr {@code host:port} from the command line, or null for the file's or the default
     * @param tokenFile from the command line, or null for the file's or {@code serve.token} beside the config
     * @throws InvalidTargetException naming file and line for anything malformed
     */
    public static FerryServer.Builder load(Path configFile, String addr, Path tokenFile, SyncTargets providers,
            Function<String, String> env) throws IOException {
        ConfigFile config = ConfigFile.read(configFile);
        RemotesConfig remotes = RemotesConfig.load(configFile, env);
        SyncTargets targets = providers.withRemotes(remotes.specs(providers, env));
        Optional<ConfigFile.Section> settings = config.section("settings", SETTINGS);

        FerryServer.Builder b = FerryServer.builder().singleInstance(configFile);
        String a = addr != null ? addr : settings.flatMap(s -> s.value("addr")).orElse("127.0.0.1:5572");
        b.address(address(a));
        Path token = tokenFile != null ? tokenFile
                : settings.flatMap(s -> s.value("token-file")).map(Path::of)
                        .orElse(configFile.toAbsolutePath().resolveSibling("serve.token"));
        b.tokenFile(token);
        Optional<String> keystore = settings.flatMap(s -> s.value("tls-keystore"));
        if (keystore.isPresent()) {
            String pw = settings.flatMap(s -> s.value("tls-keystore-password")).orElse("");
            b.tls(tls(Path.of(keystore.get()), resolve(pw, env, "tls-keystore-password")));
        }
        for (String name : remotes.names()) {
            Map<String, Object> r = Json.object();
            r.put("name", name);
            Map<String, Object> options = Json.object();
            remotes.rawOptions(name).forEach((k, v) -> options.put(k,
                    k.equals(RemotesConfig.URL_KEY) ? SyncTargets.redact(v)
                            : TargetSpec.isSecretName(k) && !v.startsWith("env:") ? "***" : v));
            r.put("options", options);
            b.remote(r);
        }
        b.backends(new ArrayList<>(new java.util.TreeSet<>(providers.providers().keySet())));
        for (JobDefinition d : JobDefinition.all(config)) {
            addJob(b, d, configFile, targets);
        }
        return b;
    }

    private static void addJob(FerryServer.Builder b, JobDefinition d, Path configFile, SyncTargets targets)
            throws IOException {
        String where = configFile + ":" + d.line() + ": [job " + d.name() + "]";
        String source = d.source().orElse(null);
        List<String> destinations = d.destinations();
        List<String> filters = new ArrayList<>(d.filters());
        if (d.pair().isPresent()) {
            SyncPair pair = PairStore.at(configFile).get(d.pair().get()).orElseThrow(() ->
                    new InvalidTargetException(where + ": no [pair " + d.pair().get() + "]"));
            source = pair.local();
            destinations = List.of(pair.remote());
            filters.addAll(0, pair.filters());
        }
        SyncTarget src;
        try {
            src = targets.open(source);
        } catch (IOException e) {
            throw new InvalidTargetException(where + ": source: " + e.getMessage(), e);
        }
        SyncJob.Builder job = SyncJob.builder(src);
        Map<String, String> shown = new LinkedHashMap<>();
        for (String dest : destinations) {
            SyncTarget t;
            try {
                t = targets.open(dest);
            } catch (IOException e) {
                throw new InvalidTargetException(where + ": destination " + SyncTargets.redact(dest) + ": "
                        + e.getMessage(), e);
            }
            String name = destinationName(dest, targets, shown.keySet());
            shown.put(name, SyncTargets.redact(dest));
            job.destination(name, t);
        }
        job.options(SyncOptions.builder().mode(d.mode()).filter(Filter.builder().rules(filters).build()).build());
        d.every().ifPresent(job::every);
        if (d.every().isPresent()) {
            job.initialDelay(java.time.Duration.ZERO);
        }
        if (d.watch()) {
            Path local = localPath(source);
            if (local == null) {
                throw new InvalidTargetException(where + ": watch = true needs a local source, not " + SyncTargets.redact(source));
            }
            job.watch(local, d.debounce());
        }
        String mode = d.mode() == SyncMode.TWO_WAY ? "two-way" : d.mode().name().toLowerCase(Locale.ROOT);
        b.job(d.name(), job, new JobSummary(SyncTargets.redact(source), shown, mode, d.every(), d.watch(), d.at()));
    }

    /** A named remote's name, else the scheme ({@code local} for a path), made unique with -2, -3... */
    static String destinationName(String location, SyncTargets targets, java.util.Set<String> taken) {
        String base;
        int colon = location.indexOf(':');
        if (colon > 1 && targets.remotes().containsKey(location.substring(0, colon))) {
            base = location.substring(0, colon);
        } else if (colon > 1 && location.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            base = location.substring(0, colon).toLowerCase(Locale.ROOT);
        } else {
            base = "local";
        }
        String name = base;
        for (int i = 2; taken.contains(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    private static Path localPath(String location) {
        if (location.startsWith("file:")) {
            return Path.of(java.net.URI.create(location));
        }
        if (location.startsWith("/") || location.startsWith("~")) {
            return Path.of(location.startsWith("~") ? System.getProperty("user.home") + location.substring(1) : location);
        }
        return location.contains(":") ? null : Path.of(location).toAbsolutePath();
    }

    static InetSocketAddress address(String text) throws InvalidTargetException {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new InvalidTargetException("address '" + text + "' is not HOST:PORT (e.g. 127.0.0.1:5572)");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host.isEmpty() ? "127.0.0.1" : host, port);
        } catch (NumberFormatException e) {
            throw new InvalidTargetException("address '" + text + "' has no valid port");
        }
    }

    private static String resolve(String value, Function<String, String> env, String key) throws InvalidTargetException {
        if (!value.startsWith("env:")) {
            return value;
        }
        String v = env.apply(value.substring(4).strip());
        if (v == null) {
            throw new InvalidTargetException(key + " comes from environment variable '" + value.substring(4).strip()
                    + "', which is not set");
        }
        return v;
    }

    /** An SSL context from a PKCS#12 key store holding the server's certificate and key. */
    public static SSLContext tls(Path keystore, String password) throws IOException {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new InvalidTargetException("TLS key store " + keystore + " cannot be used: " + e.getMessage(), e);
        }
    }
}
