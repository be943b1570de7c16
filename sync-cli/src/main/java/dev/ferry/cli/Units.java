package dev.ferry.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses sizes and durations the way rclone does, so the same flags mean the same thing: a size is
 * a number with an optional binary suffix ({@code B}, {@code K}, {@code M}, {@code G}, {@code T},
 * {@code P}; {@code KiB} and {@code KB} are read as {@code K}), in KiB when the suffix is left out;
 * a duration is one or more numbers with a unit ({@code ms}, {@code s}, {@code m}, {@code h},
 * {@code d}, {@code w}, {@code M} for 30 days, {@code y} for 365 days), in seconds when the unit is
 * left out; ISO-8601 ({@code PT2S}) works too. {@code off} turns a limit off.
 */
final class Units {

    private static final Pattern SIZE =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([bkmgtp])?(?:i?b)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d|w|M|y)?");

    private Units() {}

    /** Bytes, or -1 for {@code off}. */
    static long parseSize(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("off")) {
            return -1;
        }
        Matcher m = SIZE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; use a number with an optional "
                    + "suffix B, K, M, G, T (binary; KiB without a suffix), e.g. 100K, 1.5G");
        }
        String unit = m.group(2) == null ? "k" : m.group(2).toLowerCase(Locale.ROOT);
        int shift = switch (unit) {
            case "b" -> 0;
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 50;
        };
        double v = Double.parseDouble(m.group(1)) * Math.pow(2, shift);
        if (v >= Long.MAX_VALUE) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return (long) v;
    }

    /** A duration, or {@code null} for {@code off}. */
    static Duration parseDuration(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("off")) {
            return null;
        }
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw badDuration(text);
            }
        }
        Matcher m = DURATION_PART.matcher(t);
        long nanos = 0;
        int pos = 0;
        while (pos < t.length()) {
            if (!m.find(pos) || m.start() != pos || m.end() == pos) {
                throw badDuration(text);
            }
            if (m.group(2) == null && (pos != 0 || m.end() != t.length())) {
                throw badDuration(text);
            }
            double v = Double.parseDouble(m.group(1));
            double unitNanos = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                case "h" -> 3600e9;
                case "d" -> 86400e9;
                case "w" -> 7 * 86400e9;
                case "M" -> 30 * 86400e9;
                default -> 365 * 86400e9;
            };
            double add = v * unitNanos;
            if (add + nanos >= Long.MAX_VALUE) {
                throw new IllegalArgumentException("'" + text + "' is too long");
            }
            nanos += (long) add;
            pos = m.end();
        }
        if (pos == 0) {
            throw badDuration(text);
        }
        return Duration.ofNanos(nanos);
    }

    private static IllegalArgumentException badDuration(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration; use e.g. 500ms, 2s, 10m, 2h, 7d, 1h30m");
    }

    /** picocli converter for sizes. */
    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return parseSize(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** picocli converter for durations ({@code null} for off). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
