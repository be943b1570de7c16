package dev.ferry.backend.local;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code file} scheme: {@code file:///srv/data} or {@code file:/srv/data} (plain paths are
 * turned into such URIs by {@link dev.ferry.api.SyncTargets#parse}). Options:
 * {@value #FOLLOW_SYMLINKS}, {@value #FSYNC}, {@value #TEMP_MAX_AGE}; unknown option names are
 * refused, so a misspelt {@code fsync} does not silently go without.
 */
public final class LocalTargetProvider implements SyncTargetProvider {

    /** Option: follow symbolic links that stay inside the root (true/false, default false). */
    public static final String FOLLOW_SYMLINKS = "followSymlinks";
    /** Option: force every write to the device before it returns (true/false, default false). */
    public static final String FSYNC = "fsync";
    /** Option: age after which leftover temporary files are deleted ({@code PT1H}, {@code 1h}, {@code 90s}). */
    public static final String TEMP_MAX_AGE = "tempMaxAge";

    private static final List<TargetOption> OPTIONS = List.of(
            TargetOption.of(FOLLOW_SYMLINKS, "follow symbolic links whose target stays inside the root (default false)"),
            TargetOption.of(FSYNC, "force each written file and its directory to the device (default false)"),
            TargetOption.of(TEMP_MAX_AGE, "age after which leftover temporary files are deleted, e.g. PT1H or 30m (default 1h)"));

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /** For {@link java.util.ServiceLoader}. */
    public LocalTargetProvider() {}

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public String description() {
        return "Local file system: atomic writes, mtimes kept, MD5/SHA-1/SHA-256/CRC32 on request";
    }

    @Override
    public List<TargetOption> options() {
        return OPTIONS;
    }

    @Override
    public SyncTarget open(TargetSpec spec) throws InvalidTargetException {
        if (!scheme().equals(spec.scheme())) {
            throw new InvalidTargetException("not a file: location: " + spec.location());
        }
        Path root = toPath(spec.location());
        LocalTargetOptions options = parseOptions(spec.options());
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new InvalidTargetException("not a directory: " + root);
        }
        return new LocalTarget(root, options);
    }

    /** The local path of a {@code file:} URI; only the local host. */
    static Path toPath(URI uri) throws InvalidTargetException {
        if (uri.isOpaque() || uri.getPath() == null || uri.getPath().isEmpty()) {
            throw new InvalidTargetException("a file: location needs an absolute path, like file:///srv/data: " + uri);
        }
        String host = uri.getRawAuthority();
        if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
            throw new InvalidTargetException("file: locations on another host are not supported: " + uri);
        }
        try {
            // Rebuilt without the authority, which Path.of(URI) refuses even when it is "localhost".
            URI local = new URI("file", null, uri.getPath(), null);
            return Path.of(local).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
            throw new InvalidTargetException("not a valid local path: " + uri + " (" + e.getMessage() + ")", e);
        }
    }

    /** Parses the options map; names match case-insensitively. */
    static LocalTargetOptions parseOptions(Map<String, String> raw) throws InvalidTargetException {
        LocalTargetOptions o = LocalTargetOptions.DEFAULTS;
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String name = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            if (name.equalsIgnoreCase(FOLLOW_SYMLINKS)) {
                o = o.withFollowSymlinks(parseBoolean(FOLLOW_SYMLINKS, value));
            } else if (name.equalsIgnoreCase(FSYNC)) {
                o = o.withFsync(parseBoolean(FSYNC, value));
            } else if (name.equalsIgnoreCase(TEMP_MAX_AGE)) {
                o = o.withTempMaxAge(parseDuration(TEMP_MAX_AGE, value));
            } else {
                throw new InvalidTargetException("unknown option '" + name + "' for file: locations; known: "
                        + FOLLOW_SYMLINKS + ", " + FSYNC + ", " + TEMP_MAX_AGE);
            }
        }
        return o;
    }

    static boolean parseBoolean(String option, String value) throws InvalidTargetException {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "on":
            case "1":
                return true;
            case "false":
            case "no":
            case "off":
            case "0":
                return false;
            default:
                throw new InvalidTargetException("option '" + option + "' must be true or false, not '" + value + "'");
        }
    }

    /** ISO-8601 ({@code PT1H}, {@code P1D}) or a sum of number-unit pairs ({@code 1h30m}, {@code 90s}, {@code 500ms}). */
    static Duration parseDuration(String option, String value) throws InvalidTargetException {
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
            throw new InvalidTargetException("option '" + option + "' must be a positive duration such as PT1H, 30m or 90s, not '"
                    + value + "'");
        }
        return d;
    }
}
