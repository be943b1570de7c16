package dev.ferry.backend.emoncms;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One feed as a server (or a local data folder) describes it. Its layout (engine, interval, start
 * time) is what must agree before points are added; its size is {@code npoints} whole points.
 *
 * @param id the feed's id on its server
 * @param tag the feed's tag (may be empty)
 * @param name the feed's name
 * @param engine PHPFina or PHPTimeSeries
 * @param interval PHPFina's interval in seconds; 0 for PHPTimeSeries (whose interval is an average, not a layout)
 * @param startTime the first slot's time (PHPFina) or the first record's time (PHPTimeSeries); 0 when empty
 * @param npoints points held
 * @param endTime the last point's time, 0 when empty
 */
record FeedMeta(int id, String tag, String name, FeedEngine engine, long interval, long startTime, long npoints, long endTime) {

    private static final Pattern VERSION =
            // At most 16 digits: what Long holds with room for npoints times a point's size.
            Pattern.compile("engine=(\\d{1,9});interval=(\\d{1,16});start=(\\d{1,16});npoints=(\\d{1,16})");

    /** Data bytes: what {@code feed/export.json} gives from offset 0. */
    long size() {
        return npoints * engine.pointSize();
    }

    /** Whether the feed holds no point yet (a freshly created feed). */
    boolean isEmpty() {
        return npoints == 0;
    }

    /** A copy with another point count (after an upload), the end time following for PHPFina. */
    FeedMeta withNpoints(long n) {
        long end = engine == FeedEngine.PHPFINA ? (n == 0 ? 0 : startTime + interval * (n - 1)) : endTime;
        return new FeedMeta(id, tag, name, engine, interval, startTime, n, end);
    }

    /** The version token of entries: engine, interval, start time and point count. */
    String version() {
        return "engine=" + engine.id() + ";interval=" + interval + ";start=" + startTime + ";npoints=" + npoints;
    }

    /**
     * What a version token says, if it is one of ours: the feed's layout, to create or check the
     * destination with. Id, tag and name are not in it.
     */
    static Optional<FeedMeta> fromVersion(String version) {
        Matcher m = VERSION.matcher(version == null ? "" : version);
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<FeedEngine> engine = FeedEngine.of(Integer.parseInt(m.group(1)));
        return engine.map(e -> new FeedMeta(0, "", "", e, Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)), 0));
    }

    /**
     * Why points of {@code source} cannot go after what this feed holds, or empty when they can:
     * the engines must agree, and for a feed that holds points the start time (and, for PHPFina,
     * the interval) too. An empty PHPFina feed takes the source's layout with its first upload.
     */
    Optional<String> mismatch(FeedMeta source) {
        if (engine != source.engine) {
            return Optional.of("engine " + engine + " here, " + source.engine + " at the source");
        }
        if (isEmpty()) {
            return Optional.empty();
        }
        if (engine == FeedEngine.PHPFINA && interval != source.interval) {
            return Optional.of("interval " + interval + " s here, " + source.interval + " s at the source");
        }
        if (startTime != source.startTime) {
            return Optional.of("start time " + startTime + " here, " + source.startTime + " at the source");
        }
        return Optional.empty();
    }

    /** {@code tag/name}, for messages. */
    String label() {
        return tag.isEmpty() ? name : tag + "/" + name;
    }
}
