package dev.ferry.backend.support;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Syncthing's naming for the losing version of a conflict, used by the engine for conflict
 * copies and by a backend that must keep a user's file it found in the way of a write:
 * {@code name.sync-conflict-YYYYMMDD-HHMMSS-<ID>.ext}. Two conflicts of one file within one
 * second would get the same name, so a taken name gets a counter ({@code -ID-2}, {@code -ID-3}...):
 * a conflict copy never replaces another.
 */
public final class ConflictNames {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private ConflictNames() {}

    /**
     * The conflict name for {@code name} at {@code when} by {@code id}, the first one that
     * {@code taken} does not claim.
     *
     * @param id a short name of the side (seven upper-case letters and digits, as Syncthing's
     *     short device ID)
     */
    public static String name(String name, Instant when, String id, Predicate<String> taken) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        String mark = ".sync-conflict-" + TIME.format(when) + "-" + id;
        String candidate = fit(base, mark, "", ext);
        for (int n = 2; taken.test(candidate); n++) {
            candidate = fit(base, mark, "-" + n, ext);
        }
        return candidate;
    }

    /** Shortens the base, never the mark, so a long name still fits in 255 bytes and stays recognisable. */
    private static String fit(String base, String mark, String counter, String ext) {
        int room = TemporaryNames.MAX_NAME_BYTES - utf8(mark) - utf8(counter) - utf8(ext);
        return TemporaryNames.truncateUtf8(base, Math.max(1, room)) + mark + counter + ext;
    }

    /**
     * Matches every conflict name {@link #name} gives for {@code name}, counters included. Group 1
     * is the part before the stamp, group 2 the stamp ({@code YYYYMMDD-HHMMSS}), group 3 the
     * counter with its dash, if any.
     */
    public static Pattern pattern(String name) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        return Pattern.compile("(" + Pattern.quote(base) + ")\\.sync-conflict-(\\d{8}-\\d{6})-[A-Z0-9]{7}(-\\d+)?"
                + Pattern.quote(ext));
    }

    /**
     * Orders conflict names of {@code name} oldest first: by the time in the name, then by the
     * counter a copy made in the same second got (none counts as 1).
     */
    public static Comparator<String> oldestFirst(String name) {
        Pattern p = pattern(name);
        return Comparator.comparing((String n) -> {
            Matcher m = p.matcher(n);
            return m.matches() ? m.group(2) : "";
        }).thenComparingInt(n -> {
            Matcher m = p.matcher(n);
            return m.matches() && m.group(3) != null ? Integer.parseInt(m.group(3).substring(1)) : 1;
        });
    }

    private static int utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
