package dev.ferry.backend.emoncms;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import dev.ferry.backend.support.SpecOptions;
import dev.ferry.backend.support.TlsTrust;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything a target needs, parsed from a {@link TargetSpec}. {@link #toString()} never shows the
 * key or the password.
 *
 * @param base the server's base URL, ending in {@code /} ({@code http://host:port/path/})
 * @param apikey the write API key, if given
 * @param user the login name, if given (with {@code password})
 * @param password the password (secret)
 * @param dataDir a local instance's data folder (holding {@code phpfina/} and {@code phptimeseries/}),
 *     read directly instead of through HTTP
 * @param uploadBudget the largest {@code feed/sync} request body in bytes
 * @param legacyUpload always upload through {@code feed/upload.json} (servers before 11.5.7)
 * @param timeout time allowed for one request
 * @param tls for {@code emoncmss:}, whom to trust beyond the JDK's trust store (a pinned
 *     certificate or a CA file); empty: the JDK's store and host-name check decide
 */
record EmoncmsOptions(URI base, Optional<String> apikey, Optional<String> user, String password, Optional<Path> dataDir,
        int uploadBudget, boolean legacyUpload, Duration timeout, Optional<TlsTrust> tls) {

    static final List<TargetOption> OPTIONS = List.of(
            TargetOption.secret("apikey", "the write API key (32 hex characters)"),
            TargetOption.of("user", "login name, with password (logs in through user/auth.json)"),
            TargetOption.secret("password", "the login's password"),
            TargetOption.of("dataDir", "a local instance's data folder (with phpfina/ and phptimeseries/): read feeds from its files"),
            TargetOption.of("uploadBudget", "largest feed/sync request in bytes (default 1000000)"),
            TargetOption.of("legacyUpload", "upload through feed/upload.json, for servers before 11.5.7 (PHPFina only)"),
            TargetOption.of("timeout", "time allowed for one request (default 60s)"),
            TargetOption.of(TlsTrust.PINNED_CERTIFICATE, "emoncmss: " + TlsTrust.OPTIONS.get(0).description()),
            TargetOption.of(TlsTrust.CA, "emoncmss: " + TlsTrust.OPTIONS.get(1).description()));

    private static final Pattern KEY = Pattern.compile("[0-9a-f]{32}");

    static EmoncmsOptions parse(TargetSpec spec, boolean https) throws InvalidTargetException {
        SpecOptions.requireKnown(spec, OPTIONS);
        URI loc = spec.location();
        if (loc.getHost() == null) {
            throw new InvalidTargetException("an Emoncms location needs a host: " + spec.scheme() + "://HOST[:PORT]/PATH");
        }
        if (loc.getRawUserInfo() != null) {
            throw new InvalidTargetException("give the login as the user and password options, not in the URI");
        }
        String path = loc.getRawPath() == null || loc.getRawPath().isEmpty() ? "/" : loc.getRawPath();
        if (!path.endsWith("/")) {
            path = path + "/";
        }
        String host = loc.getHost().contains(":") && !loc.getHost().startsWith("[") ? "[" + loc.getHost() + "]" : loc.getHost();
        URI base = URI.create((https ? "https" : "http") + "://" + host + (loc.getPort() > 0 ? ":" + loc.getPort() : "") + path);
        Optional<String> apikey = spec.option("apikey");
        Optional<String> user = spec.option("user");
        String password = spec.option("password", "");
        if (apikey.isPresent() && !KEY.matcher(apikey.get()).matches()) {
            throw new InvalidTargetException("apikey must be 32 lowercase hex characters (an Emoncms write API key)");
        }
        if (apikey.isEmpty() && user.isEmpty()) {
            throw new InvalidTargetException("give apikey (a write API key) or user and password");
        }
        if (user.isPresent() && password.isEmpty() && apikey.isEmpty()) {
            throw new InvalidTargetException("user " + user.get() + " needs the password option");
        }
        Optional<Path> dataDir = spec.option("dataDir").map(Path::of);
        int budget = (int) SpecOptions.number(spec, "uploadBudget", 1_000_000, 1024, 64L << 20);
        boolean legacy = SpecOptions.flag(spec, "legacyUpload", false);
        Duration timeout = SpecOptions.duration(spec, "timeout", Duration.ofSeconds(60));
        Optional<TlsTrust> tls = TlsTrust.of(spec);
        if (tls.isPresent() && !https) {
            throw new InvalidTargetException("options '" + TlsTrust.PINNED_CERTIFICATE + "' and '" + TlsTrust.CA
                    + "' are for emoncmss: (https) locations");
        }
        return new EmoncmsOptions(base, apikey, user, password, dataDir, budget, legacy, timeout, tls);
    }

    @Override
    public String toString() {
        return "EmoncmsOptions[" + base + (user.isPresent() ? ", user=" + user.get() : "") + (apikey.isPresent() ? ", apikey=***" : "")
                + dataDir.map(d -> ", dataDir=" + d).orElse("") + "]";
    }
}
