package dev.ferry.backend.emoncms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.ferry.api.PermanentSyncException;
import java.util.Optional;

/**
 * Fuzzes what an Emoncms server (or an entry's version token) tells about a feed: the
 * {@code feed/list.json} answer and the version token. Contract: a clear
 * {@link PermanentSyncException} (or Jackson's parse error) or feeds whose layout is one a sync
 * can use (no negative point count, interval or time, so no negative size or offset); a version
 * token is ours (and prints back as itself) or empty, never an exception.
 */
class FeedDecodersFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void feedList(byte @NotNull [] body) {
        JsonNode json;
        try {
            json = EmoncmsHttp.JSON.readTree(body);
        } catch (java.io.IOException e) {
            return; // not JSON: EmoncmsHttp reports it before the catalog sees it
        }
        try {
            for (FeedMeta f : FeedCatalog.feeds(json, "http://fuzz").usable()) {
                assertThat(f.npoints()).as("%s", f).isNotNegative();
                assertThat(f.interval()).as("%s", f).isNotNegative();
                assertThat(f.startTime()).as("%s", f).isNotNegative();
                assertThat(f.endTime()).as("%s", f).isNotNegative();
                assertThat(f.size()).as("%s", f).isNotNegative();
                assertThat(FeedMeta.fromVersion(f.version())).hasValueSatisfying(v -> {
                    assertThat(v.npoints()).isEqualTo(f.npoints());
                    assertThat(v.startTime()).isEqualTo(f.startTime());
                });
            }
        } catch (PermanentSyncException e) {
            assertThat(e.getMessage()).contains("http://fuzz");
        }
    }

    @FuzzTest(maxDuration = "5s")
    void version(@NotNull String token) {
        Optional<FeedMeta> m = FeedMeta.fromVersion(token);
        m.ifPresent(f -> {
            assertThat(f.npoints()).isNotNegative();
            assertThat(f.size()).isNotNegative();
            assertThat(FeedMeta.fromVersion(f.version())).hasValue(f);
        });
    }
}
