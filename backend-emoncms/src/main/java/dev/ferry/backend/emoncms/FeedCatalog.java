package dev.ferry.backend.emoncms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The feeds of the logged-in user, through {@code feed/list.json?meta=1}, {@code feed/getmeta.json}
 * and {@code feed/create.json}. Emoncms's JSON is parsed leniently: on Redis-backed servers numbers
 * come as strings, and PHPTimeSeries intervals as fractions. Feeds of other engines are left out,
 * as the official sync module leaves them out.
 */
final class FeedCatalog {

    /** 2^50: beyond it a point count times an 8-byte point, or a time, is no real feed's. */
    private static final double MAX_COUNT = 0x1p50;

    private final EmoncmsHttp http;

    FeedCatalog(EmoncmsHttp http) {
        this.http = http;
    }

    /**
     * A feed list: the usable feeds, and those left out because the server described them in a
     * way no real feed can be (an absurd count, an id or a TAG/NAME shared with another feed),
     * each with the reason, so the listing can say so and writes never pick one of them.
     */
    record Feeds(List<FeedMeta> usable, List<Rejected> rejected) {
        Feeds {
            usable = List.copyOf(usable);
            rejected = List.copyOf(rejected);
        }

        /** The reason {@code TAG/NAME} was left out, if it was. */
        Optional<Rejected> rejected(String tag, String name) {
            return rejected.stream().filter(r -> r.tag().equals(tag) && r.name().equals(name)).findFirst();
        }
    }

    /** A feed left out of a listing, and why. */
    record Rejected(String tag, String name, String reason) {
    }

    /** Every PHPFina and PHPTimeSeries feed, with its meta. */
    Feeds list() throws IOException {
        return feeds(http.getJson("feed/list.json", Map.of("meta", "1")), String.valueOf(http.base()));
    }

    /** The feeds of a {@code feed/list.json} answer from the server at {@code where}. */
    static Feeds feeds(JsonNode a, String where) throws PermanentSyncException {
        if (!a.isArray()) {
            throw new PermanentSyncException("Emoncms at " + where + " answered feed/list.json with " + brief(a));
        }
        List<FeedMeta> feeds = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        for (JsonNode f : a) {
            Optional<FeedEngine> engine = FeedEngine.of(num(f, "engine"));
            if (engine.isEmpty()) {
                continue;
            }
            String tag = f.path("tag").asText("");
            String name = f.path("name").asText("");
            try {
                feeds.add(meta(num(f, "id"), tag, name, engine.get(), f, where));
            } catch (PermanentSyncException e) {
                rejected.add(new Rejected(tag, name, e.getMessage()));
            }
        }
        // Two feeds under one id or one TAG/NAME: any write could land in the wrong one, so neither is used.
        Map<Integer, List<FeedMeta>> byId = feeds.stream().collect(Collectors.groupingBy(FeedMeta::id));
        Map<String, List<FeedMeta>> byName = feeds.stream().collect(Collectors.groupingBy(FeedMeta::label));
        List<FeedMeta> usable = new ArrayList<>();
        for (FeedMeta m : feeds) {
            List<FeedMeta> sameId = byId.get(m.id());
            List<FeedMeta> sameName = byName.get(m.label());
            if (sameId.size() > 1) {
                rejected.add(new Rejected(m.tag(), m.name(), "Emoncms at " + where + " lists " + sameId.size() + " feeds with id "
                        + m.id() + " (" + sameId.stream().map(FeedMeta::label).collect(Collectors.joining(", ")) + "): none of them is used"));
            } else if (sameName.size() > 1) {
                rejected.add(new Rejected(m.tag(), m.name(), "Emoncms at " + where + " lists " + sameName.size() + " feeds named "
                        + m.label() + " (ids " + sameName.stream().map(x -> String.valueOf(x.id())).collect(Collectors.joining(", "))
                        + "): none of them is used"));
            } else {
                usable.add(m);
            }
        }
        return new Feeds(usable, rejected);
    }

    /** One feed's meta, fresh from the server (after any failed or partial upload). */
    FeedMeta refresh(FeedMeta known) throws IOException {
        JsonNode m = http.getJson("feed/getmeta.json", Map.of("id", String.valueOf(known.id())));
        if (m.isObject() && m.has("success") && !m.path("success").asBoolean()) {
            throw new NotFoundException("feed " + known.label() + " (id " + known.id() + ") is gone from " + http.base()
                    + ": " + m.path("message").asText());
        }
        if (!m.isObject()) {
            throw new PermanentSyncException("Emoncms at " + http.base() + " cannot read the meta of feed " + known.label()
                    + " (id " + known.id() + "): " + brief(m));
        }
        return meta(known.id(), known.tag(), known.name(), known.engine(), m, String.valueOf(http.base()));
    }

    /** Creates a feed with the given layout, empty; returns its meta. */
    FeedMeta create(String tag, String name, FeedEngine engine, long interval) throws IOException {
        JsonNode r = http.getJson("feed/create.json", Map.of("tag", tag, "name", name, "engine", String.valueOf(engine.id()),
                "options", "{\"interval\":" + Math.max(interval, 1) + "}"));
        if (!r.path("success").asBoolean(false)) {
            throw new PermanentSyncException("Emoncms at " + http.base() + " did not create feed " + (tag.isEmpty() ? name : tag + "/" + name)
                    + ": " + r.path("message").asText(brief(r)));
        }
        return new FeedMeta(num(r, "feedid"), tag, name, engine, engine == FeedEngine.PHPFINA ? interval : 0, 0, 0, 0);
    }

    private static FeedMeta meta(int id, String tag, String name, FeedEngine engine, JsonNode m, String where)
            throws PermanentSyncException {
        String feed = (tag.isEmpty() ? name : tag + "/" + name) + " (id " + id + ")";
        long npoints = count(m, "npoints", feed, where);
        long start = count(m, "start_time", feed, where);
        long end = count(m, "end_time", feed, where);
        long interval = engine == FeedEngine.PHPFINA ? count(m, "interval", feed, where) : 0;
        return new FeedMeta(id, tag, name, engine, interval, start, npoints, end);
    }

    /**
     * A count or a time of a feed's meta (absent: 0). A negative or absurd one (a size past
     * 2^53 bytes) is a lying or broken server: refused, since sizes and offsets follow from it.
     */
    private static long count(JsonNode m, String field, String feed, String where) throws PermanentSyncException {
        double v = m.path(field).asDouble(0);
        if (Double.isNaN(v)) {
            v = 0;
        }
        if (v < 0 || v > MAX_COUNT) {
            throw new PermanentSyncException("Emoncms at " + where + " gives feed " + feed + " " + field + " = "
                    + m.path(field).asText() + ", which no feed can have");
        }
        return (long) v;
    }

    private static int num(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNumber() ? v.asInt() : (int) v.asDouble(-1);
    }

    private static String brief(JsonNode n) {
        String s = n.toString();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
