package dev.ferry.backend.webdav;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.SyncPath;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Entries from what a server said: a PROPFIND response, or the headers of a write's answer. */
final class DavEntries {

    static final Duration SECOND = Duration.ofSeconds(1);

    private DavEntries() {}

    static Optional<Instant> parseTime(Optional<String> text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZonedDateTime.parse(text.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The entry for a response; empty for a file without a readable size. */
    static Optional<Entry> toEntry(SyncPath path, Multistatus.Response r) {
        Entry.Builder b;
        if (r.collection()) {
            b = Entry.directory(path);
        } else {
            long size = r.length() >= 0 ? r.length() : r.ocSize();
            if (size < 0) {
                return Optional.empty();
            }
            b = Entry.file(path, size);
            for (String list : r.checksums()) {
                addChecksums(b, list);
            }
        }
        parseTime(r.lastModified()).ifPresent(b::modTime);
        b.modTimePrecision(SECOND);
        version(r.etag()).ifPresent(b::version);
        return Optional.of(b.build());
    }

    /**
     * The version token of an ETag. Apache marks an ETag weak (W/"…") while the file is less than
     * a second old, then strong with the same value: one version, so the marker is not part of it.
     */
    static Optional<String> version(Optional<String> etag) {
        return etag.map(String::trim).map(e -> e.startsWith("W/") ? e.substring(2) : e).filter(e -> !e.isEmpty());
    }

    /** {@code SHA1:… MD5:…} lists, split on commas and spaces (clients have sent both), names in any case. */
    static void addChecksums(Entry.Builder b, String list) {
        for (String one : list.split("[,\\s]+")) {
            int colon = one.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            Optional<HashAlgorithm> alg = HashAlgorithm.byName(one.substring(0, colon));
            if (alg.isPresent()) {
                try {
                    b.hash(alg.get(), one.substring(colon + 1));
                } catch (IllegalArgumentException e) {
                    // a malformed value is no value
                }
            }
        }
    }
}
