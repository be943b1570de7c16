package dev.ferry.backend.emoncms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.ListingNotice;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetSpec;
import dev.ferry.api.TransientSyncException;
import dev.ferry.core.RetryPolicy;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.HostileHttpServer;
import dev.ferry.testkit.Listings;
import dev.ferry.testkit.TestSecrets;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fake Emoncms (sync-testkit's {@link HostileHttpServer}) giving what a real one cannot be
 * made to: feed names and tags that climb out ({@code ../}), absolute names, NUL, a name over
 * 4 KiB, two feeds under one id or one name, absurd point counts, a feed list that never ends or
 * stalls after its headers, exports shorter or longer than the listed size. Each is a clear error
 * or a listing notice, in bounded memory and time, and nothing is written outside the
 * destination's root nor left half-written under a final name.
 */
class EmoncmsHostileServerTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final long START = 1_700_000_000L;

    @TempDir
    Path tmp;

    private HostileHttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HostileHttpServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A feed of {@code list.json?meta=1}: PHPFina, 10 s, {@code npoints} as given (a JSON number text). */
    private static String feed(int id, String tag, String name, String npoints) {
        return "{\"id\":" + id + ",\"tag\":\"" + tag + "\",\"name\":\"" + name + "\",\"engine\":5,\"interval\":10,"
                + "\"start_time\":" + START + ",\"npoints\":" + npoints + ",\"end_time\":" + (START + 20) + "}";
    }

    /** Answers {@code /PREFIX/user/session.json} as a write key's session, and {@code /PREFIX/feed/list.json} by {@code list}. */
    private SyncTarget emoncms(String prefix, HostileHttpServer.Route list, Map<String, String> extra) throws IOException {
        server.route("/" + prefix + "/user/session.json", HostileHttpServer.json("{\"userid\":1,\"type\":\"write\"}"));
        server.route("/" + prefix + "/feed/list.json", list);
        Map<String, String> options = new HashMap<>(extra);
        options.put("apikey", KEY);
        return new EmoncmsTargetProvider().open(new TargetSpec(URI.create("emoncms://127.0.0.1:" + server.port() + "/" + prefix), options));
    }

    @Test
    void hostileNamesAndImpossibleFeedsAreNoticedAndNothingLeavesTheRoot() throws Exception {
        String longName = "x".repeat(4100);
        String list = "[" + String.join(",", List.of(
                feed(1, "t", "ok", "3"),
                feed(2, "", "../escape", "3"),
                feed(3, "../up", "x", "3"),
                feed(4, "", "/etc/passwd", "3"),
                feed(5, "t", "nul\\u0000name", "3"),
                feed(6, "t", "dup", "3"), feed(7, "t", "dup", "3"),
                feed(8, "t", "one", "3"), feed(8, "t", "two", "3"),
                feed(10, "t", "absurd", "1e300"),
                feed(11, "t", "negative", "-3"),
                feed(12, "t", longName, "3"))) + "]";
        server.route("/h/feed/export.json", x -> HostileHttpServer.send(x, 200, "application/octet-stream", new byte[12]));
        try (SyncTarget t = emoncms("h", HostileHttpServer.json(list), Map.of())) {
            Listings.Result root = Listings.collect(t, SyncPath.ROOT);
            assertThat(root.names()).containsExactly("t");
            assertThat(root.notices()).extracting(ListingNotice::reason).containsOnly(ListingNotice.Reason.HOSTILE_NAME);
            assertThat(root.notices()).hasSize(3);
            Listings.Result tag = Listings.collect(t, SyncPath.of("t"));
            assertThat(tag.names()).containsExactlyInAnyOrder("ok", longName);
            Map<String, String> unreadable = tag.notices(ListingNotice.Reason.UNREADABLE).stream()
                    .collect(Collectors.toMap(ListingNotice::location, ListingNotice::detail, (a, b) -> a + " | " + b));
            assertThat(unreadable.get("t/dup")).contains("2 feeds named t/dup (ids 6, 7)");
            assertThat(unreadable.get("t/one")).contains("2 feeds with id 8");
            assertThat(unreadable.get("t/two")).contains("2 feeds with id 8");
            assertThat(unreadable.get("t/absurd")).contains("npoints").contains("no feed can have");
            assertThat(unreadable.get("t/negative")).contains("npoints = -3");
            assertThat(tag.notices(ListingNotice.Reason.HOSTILE_NAME)).singleElement()
                    .satisfies(n -> assertThat(n.detail()).containsIgnoringCase("nul"));
            assertThatThrownBy(() -> t.stat(SyncPath.of("t", "dup"))).isInstanceOf(PermanentSyncException.class)
                    .hasMessageContaining("none of them is used");

            // A user's earlier copy of an ambiguous feed is kept: the listing said it could not read it.
            Path dest = tmp.resolve("dest/inner");
            Files.createDirectories(dest.resolve("t"));
            Files.write(dest.resolve("t/dup"), new byte[] {1, 2, 3, 4});
            SyncReport report = download(t, dest);
            assertThat(report.filesDeleted()).isZero();
            assertThat(report.failures().stream().map(Object::toString).collect(Collectors.joining("\n")))
                    .contains("../escape").contains("t/dup").contains("t/absurd").contains(longName.substring(0, 100));
            assertThat(files(tmp.resolve("dest"))).containsExactlyInAnyOrder("inner/t/ok", "inner/t/dup");
            assertThat(Files.size(dest.resolve("t/ok"))).isEqualTo(12);
            assertThat(Files.readAllBytes(dest.resolve("t/dup"))).containsExactly(1, 2, 3, 4);
        }
    }

    @Test
    @Timeout(60)
    void aFeedListThatNeverEndsIsRefusedInBoundedMemoryAndTime() throws Exception {
        try (SyncTarget t = emoncms("e", server.endlessJson("[", feed(1, "t", "f", "3")), Map.of())) {
            assertThat(server.refusesEndless("Emoncms endless feed list", () -> Listings.collect(t, SyncPath.ROOT)))
                    .isInstanceOf(PermanentSyncException.class)
                    .hasMessageContaining("feed/list.json").hasMessageContaining("larger than 16 MiB")
                    .hasMessageNotContaining(KEY).hasMessageNotContaining(TestSecrets.MARKER);
        }
    }

    @Test
    @Timeout(30)
    void aFeedListThatStallsAfterItsHeadersTimesOut() throws Exception {
        try (SyncTarget t = emoncms("s", HostileHttpServer.stall("[{\"id\":1,", Duration.ofSeconds(60)), Map.of("timeout", "2s"))) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Listings.collect(t, SyncPath.ROOT)).isInstanceOf(TransientSyncException.class)
                    .hasMessageContaining("feed/list.json");
            assertThat(System.nanoTime() - t0).as("the body's deadline, not forever").isLessThan(15_000_000_000L);
        }
    }

    @Test
    @Timeout(60)
    void exportsShorterLongerOrStalledPublishNothingUnderTheFinalName() throws Exception {
        String list = "[" + feed(1, "t", "short", "100") + "," + feed(2, "t", "long", "2") + "," + feed(3, "t", "cut", "100")
                + "," + feed(4, "t", "stalled", "100") + "]";
        server.route("/l/feed/export.json", x -> {
            String id = x.getRequestURI().getQuery().replaceAll(".*id=(\\d+).*", "$1");
            switch (id) {
                case "1" -> HostileHttpServer.send(x, 200, "application/octet-stream", new byte[40]); // 400 listed
                case "2" -> HostileHttpServer.send(x, 200, "application/octet-stream", new byte[400]); // 8 listed
                case "4" -> HostileHttpServer.stall("application/octet-stream", "0123456789", Duration.ofSeconds(60)).answer(x);
                default -> HostileHttpServer.lyingLength("application/octet-stream", 400, new byte[40]).answer(x);
            }
        });
        try (SyncTarget t = emoncms("l", HostileHttpServer.json(list), Map.of("timeout", "2s"))) {
            Path dest = tmp.resolve("dest");
            long t0 = System.nanoTime();
            SyncReport report = download(t, dest);
            assertThat(System.nanoTime() - t0).as("the stalled export gave up after the timeout").isLessThan(30_000_000_000L);
            String failures = report.failures().stream().map(Object::toString).collect(Collectors.joining("\n"));
            System.out.println("[reliability] Emoncms lying sizes: " + failures.replace('\n', ';'));
            assertThat(failures).contains("t/short").contains("t/long").contains("t/cut: Emoncms at")
                    .contains("t/stalled: Emoncms at").contains("stopped sending");
            assertThat(report.filesCopied()).isZero();
            assertThat(files(dest)).as("no file, no leftover temporary file").isEmpty();
        }
    }

    private SyncReport download(SyncTarget from, Path dest) throws IOException {
        Files.createDirectories(dest);
        try (SyncTarget local = SyncTargets.load().open(dest.toString())) {
            return Sync.between(from, local, SyncOptions.builder().mode(SyncMode.MIRROR)
                    .retry(RetryPolicy.NONE).stateDirectory(tmp.resolve("state")).build()).run();
        }
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).collect(Collectors.toList());
        }
    }
}
