package dev.ferry.api;

import java.net.URI;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A parsed target location: a URI without query string or password, and the options that came
 * from the query string, the userinfo, a named remote or the caller. Credentials are options;
 * {@link #toString()} shows them as {@code ***}.
 *
 * @param location the URI, such as {@code file:///home/me/photos} or {@code ftp://me@host/dir}
 * @param options option values by name; names match ignoring case
 */
public record TargetSpec(URI location, Map<String, String> options) {

    private static final Pattern SECRET_NAME =
            Pattern.compile(".*(pass|secret|token|credential|apikey|api_key|auth|private).*");

    /** Validates and copies. */
    public TargetSpec {
        if (location.getRawQuery() != null) {
            throw new IllegalArgumentException("options belong in the options map, not the URI: " + location.getScheme());
        }
        String userInfo = location.getRawUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            throw new IllegalArgumentException("a password belongs in the options map, not the URI");
        }
        // Option names match whatever their case (fsync, FSYNC): one spelling per name.
        Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.putAll(options);
        options = Collections.unmodifiableMap(m);
    }

    /** A spec with no options. */
    public static TargetSpec of(URI location) {
        return new TargetSpec(location, Map.of());
    }

    /** The URI scheme, lowercase. */
    public String scheme() {
        return location.getScheme().toLowerCase(Locale.ROOT);
    }

    /** One option's value. */
    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** One option's value, or a default. */
    public String option(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }

    /** A copy with one more option (replacing any of the same name). */
    public TargetSpec withOption(String name, String value) {
        Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.putAll(options);
        m.put(name, value);
        return new TargetSpec(location, m);
    }

    /**
     * Whether an option name looks like a credential (password, secret, token, API key...):
     * such values are redacted wherever a spec is shown.
     */
    public static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT)).matches()
                || name.toLowerCase(Locale.ROOT).endsWith("key") && !name.equalsIgnoreCase("accesskey");
    }

    /** The location and options, with every secret value replaced by {@code ***}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(location.toString());
        if (!options.isEmpty()) {
            b.append(" {");
            boolean first = true;
            for (Map.Entry<String, String> e : options.entrySet()) {
                b.append(first ? "" : ", ").append(e.getKey()).append('=')
                        .append(isSecretName(e.getKey()) ? "***" : e.getValue());
                first = false;
            }
            b.append('}');
        }
        return b.toString();
    }
}
