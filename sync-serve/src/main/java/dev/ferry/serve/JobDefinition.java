package dev.ferry.serve;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.core.ConfigFile;
import dev.ferry.core.Filter;
import dev.ferry.core.SyncMode;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code [job NAME]} section of the config file: what to sync and when.
 *
 * <pre>
 * [job photos]
 * source = /srv/photobooth/photos
 * destination = photos-ftp:booth
 * destination = s3-archive:booth
 * mode = copy
 * filter = -*.tmp
 * every = 5m
 * watch = true
 * at = 03:00
 * </pre>
 *
 * Instead of {@code source} and {@code destination}, {@code pair = NAME} takes both (and its
 * filters) from a {@code [pair NAME]} section.
 *
 * @param name the job's name
 * @param source a location (path, URI or {@code remote:path}); empty when a pair gives it
 * @param destinations locations, at least one (unless a pair gives it)
 * @param pair the {@code [pair]} that gives source and destination, if any
 * @param mode copy, mirror or two-way
 * @param filters rules {@code +GLOB} / {@code -GLOB}, in order
 * @param every the interval between runs, if any
 * @param watch whether a local source is watched for changes
 * @param debounce how long changes must be quiet before a watched run
 * @param at times of day (server's zone) for a run
 * @param line the section's line in the file, for messages
 */
public record JobDefinition(String name, Optional<String> source, List<String> destinations, Optional<String> pair,
        SyncMode mode, List<String> filters, Optional<Duration> every, boolean watch, Duration debounce,
        List<LocalTime> at, int line) {

    /** The section kind in the config file. */
    public static final String KIND = "job";

    private static final Set<String> KEYS = Set.of("source", "destination", "pair", "mode", "filter", "every", "watch",
            "debounce", "at");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /** Validates and copies. */
    public JobDefinition {
        Objects.requireNonNull(name, "name");
        destinations = List.copyOf(destinations);
        filters = List.copyOf(filters);
        at = List.copyOf(at);
    }

    /**
     * Every job of a config file, in file order.
     *
     * @throws InvalidTargetException naming file, line and job for anything malformed
     */
    public static List<JobDefinition> all(ConfigFile config) throws InvalidTargetException {
        List<JobDefinition> out = new ArrayList<>();
        for (ConfigFile.Section s : config.sections(KIND)) {
            out.add(of(config.fileName(), s));
        }
        return out;
    }

    /**
     * One job section.
     *
     * @throws InvalidTargetException naming file, line and job for anything malformed
     */
    public static JobDefinition of(String fileName, ConfigFile.Section s) throws InvalidTargetException {
        String where = fileName + ":" + s.line() + ": [job " + s.name() + "]";
        for (ConfigFile.Setting setting : s.settings()) {
            if (!KEYS.contains(setting.key())) {
                throw new InvalidTargetException(fileName + ":" + setting.line() + ": [job " + s.name()
                        + "] has an unknown option '" + setting.key() + "' (known: " + String.join(", ",
                        new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        for (String single : List.of("source", "pair", "mode", "every", "watch", "debounce")) {
            if (s.values(single).size() > 1) {
                throw new InvalidTargetException(where + " sets '" + single + "' more than once");
            }
        }
        Optional<String> pair = s.value("pair").map(String::strip);
        Optional<String> source = s.value("source").map(String::strip).filter(v -> !v.isEmpty());
        List<String> destinations = s.values("destination").stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
        if (pair.isPresent() && (source.isPresent() || !destinations.isEmpty())) {
            throw new InvalidTargetException(where + ": give either 'pair' or 'source' and 'destination', not both");
        }
        if (pair.isEmpty() && source.isEmpty()) {
            throw new InvalidTargetException(where + " has no 'source' (or 'pair')");
        }
        if (pair.isEmpty() && destinations.isEmpty()) {
            throw new InvalidTargetException(where + " has no 'destination' (or 'pair')");
        }
        SyncMode mode = switch (s.value("mode").orElse("copy").strip().toLowerCase(Locale.ROOT)) {
            case "copy" -> SyncMode.COPY;
            case "mirror", "sync" -> SyncMode.MIRROR;
            case "two-way", "twoway", "bisync" -> SyncMode.TWO_WAY;
            default -> throw new InvalidTargetException(where + ": mode '" + s.value("mode").get()
                    + "' is not copy, mirror or two-way");
        };
        List<String> filters = new ArrayList<>();
        for (String f : s.values("filter")) {
            String rule = f.strip();
            if (rule.length() > 1 && (rule.charAt(0) == '+' || rule.charAt(0) == '-')) {
                rule = rule.charAt(0) + rule.substring(1).strip();
            }
            filters.add(rule);
        }
        try {
            Filter.builder().rules(filters);
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException(where + ": " + e.getMessage());
        }
        Optional<Duration> every = Optional.empty();
        if (s.value("every").isPresent()) {
            every = Optional.of(duration(where, "every", s.value("every").get()));
        }
        boolean watch = bool(where, "watch", s.value("watch").orElse("false"));
        Duration debounce = s.value("debounce").isPresent() ? duration(where, "debounce", s.value("debounce").get())
                : Duration.ofSeconds(2);
        List<LocalTime> at = new ArrayList<>();
        for (String a : s.values("at")) {
            try {
                at.add(LocalTime.parse(a.strip()));
            } catch (DateTimeParseException e) {
                throw new InvalidTargetException(where + ": at '" + a + "' is not a time of day like 03:00");
            }
        }
        if (every.isEmpty() && !watch && at.isEmpty()) {
            // Allowed: such a job runs only when asked (the API's run, or a push).
        }
        return new JobDefinition(s.name(), source, destinations, pair, mode, filters, every, watch, debounce, at,
                s.line());
    }

    /** {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 250ms}, {@code 2d}. */
    static Duration duration(String where, String key, String text) throws InvalidTargetException {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION_PART.matcher(t);
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = m.end();
        }
        if (t.isEmpty() || end != t.length() || d.isZero()) {
            throw new InvalidTargetException(where + ": " + key + " '" + text + "' is not a duration like 30s, 5m, 1h30m");
        }
        return d;
    }

    private static boolean bool(String where, String key, String text) throws InvalidTargetException {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new InvalidTargetException(where + ": " + key + " '" + text + "' is not true or false");
        };
    }
}
