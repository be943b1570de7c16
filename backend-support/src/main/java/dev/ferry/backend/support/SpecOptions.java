package dev.ferry.backend.support;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reading of a {@link TargetSpec}'s options for providers: yes/no, bounded numbers,
 * durations, and the refusal of options nobody declared. Every error names the option and the
 * value, so a user sees which setting to fix.
 */
public final class SpecOptions {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private SpecOptions() {}

    /**
     * A yes/no option: {@code true/yes/on/1} or {@code false/no/off/0}, any case.
     *
     * @throws InvalidTargetException naming the option and the value, for anything else
     */
    public static boolean flag(TargetSpec spec, String name, boolean defaultValue) throws InvalidTargetException {
        String v = spec.options().get(name);
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
    public static long number(TargetSpec spec, String name, long defaultValue, long min, long max) throws InvalidTargetException {
        String v = spec.options().get(name);
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
    public static Duration duration(TargetSpec spec, String name, Duration defaultValue) throws InvalidTargetException {
        String v = spec.options().get(name);
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
    public static void requireKnown(TargetSpec spec, Collection<TargetOption> known) throws InvalidTargetException {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        known.forEach(o -> names.add(o.name()));
        for (String name : spec.options().keySet()) {
            if (!names.contains(name)) {
                throw new InvalidTargetException("unknown option '" + name + "' for " + spec.scheme() + ": locations; known: "
                        + String.join(", ", names));
            }
        }
    }

}
