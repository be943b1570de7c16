package dev.ferry.api;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
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

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
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

    /**
     * A yes/no option: {@code true/yes/on/1} or {@code false/no/off/0}, any case.
     *
     * @throws InvalidTargetException naming the option and the value, for anything else
     */
    public boolean flag(String name, boolean defaultValue) throws InvalidTargetException {
        String v = options.get(name);
        if (v == null) {
            return defaultValue;
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> {
                return true;
            }
            case "false", "no", "off", "0" -> {
                return false;
            }
            default -> throw new InvalidTargetException("option '" + name + "' must be true or false, not '" + v + "'");
        }
    }

    /**
     * A whole-number option within {@code min..max}.
     *
     * @throws InvalidTargetException naming the option and the value, if it is not one
     */
    public long number(String name, long defaultValue, long min, long max) throws InvalidTargetException {
        String v = options.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidTargetException("option '" + name + "' must be a whole number from " + min + " to " + max
                + ", not '" + v + "'");
    }

    /**
     * A positive duration option: ISO-8601 ({@code PT1H}, {@code P1D}) or number-unit pairs
     * ({@code 1h30m}, {@code 90s}, {@code 500ms}, {@code 2d}).
     *
     * @throws InvalidTargetException naming the option and the value, if it is not one
     */
    public Duration duration(String name, Duration defaultValue) throws InvalidTargetException {
        String v = options.get(name);
        if (v == null) {
            return defaultValue;
        }
        String value = v.trim();
        Duration d = null;
        if (value.regionMatches(true, 0, "P", 0, 1)) {
            try {
                d = Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                d = null;
            }
        } else if (!value.isEmpty()) {
            Matcher m = SIMPLE_DURATION.matcher(value.toLowerCase(Locale.ROOT));
            Duration sum = Duration.ZERO;
            int end = 0;
            try {
                while (m.find() && m.start() == end) {
                    long n = Long.parseLong(m.group(1));
                    sum = sum.plus(switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    });
                    end = m.end();
                }
                d = end == value.length() ? sum : null;
            } catch (ArithmeticException | NumberFormatException e) {
                d = null;
            }
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw new InvalidTargetException("option '" + name + "' must be a positive duration such as PT1H, 30m or 90s, "
                    + "not '" + v + "'");
        }
        return d;
    }

    /**
     * Refuses options no provider declared, so a misspelt {@code fsynk=true} is an error instead
     * of silently ignored.
     *
     * @throws InvalidTargetException naming the unknown option and the known ones
     */
    public void requireKnownOptions(java.util.Collection<TargetOption> known) throws InvalidTargetException {
        java.util.Set<String> names = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        known.forEach(o -> names.add(o.name()));
        for (String name : options.keySet()) {
            if (!names.contains(name)) {
                throw new InvalidTargetException("unknown option '" + name + "' for " + scheme() + ": locations; known: "
                        + String.join(", ", names));
            }
        }
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
