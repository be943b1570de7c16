package dev.ferry.backend.emoncms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.AuthenticationException;
import dev.ferry.api.Entry;
import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.Filter;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncAction;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncPlan;
import dev.ferry.core.SyncReport;
import dev.ferry.core.SyncTargets;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upload, incremental upload and download of PHPFina and PHPTimeSeries feeds between real
 * Emoncms 11.16.8 instances, through the engine as {@code ferry copy} runs it; each test uses its
 * own tag, so the tests share two instances.
 */
class EmoncmsSyncTest {

    static final long T0 = 1_700_000_007L; // not on the 10 s interval: the feed starts at ...000
    static EmoncmsServers.Instance local;
    static EmoncmsServers.Instance remote;

    @BeforeAll
    static void start() throws Exception {
        EmoncmsServers s = EmoncmsServers.shared();
        local = s.newInstance();
        remote = s.newInstance();
    }

    @AfterAll
    static void stop() throws Exception {
        if (local != null) {
            local.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    static SyncTarget open(EmoncmsServers.Instance i) throws IOException {
        return open(i, Map.of());
    }

    static SyncTarget open(EmoncmsServers.Instance i, Map<String, String> extra) throws IOException {
        Map<String, String> o = new HashMap<>(Map.of("apikey", i.writeKey()));
        o.putAll(extra);
        return SyncTargets.load().open(i.location(), o);
    }

    static SyncOptions only(String tag) {
        return SyncOptions.builder().filter(Filter.builder().include(tag + "/**").build()).build();
    }

    static SyncReport copy(SyncTarget from, SyncTarget to, String tag) throws IOException {
        return Sync.between(from, to, only(tag)).run();
    }

    /** A PHPFina feed with gaps (NaN slots) whose first point is off the interval. */
    static int fina(EmoncmsServers.Instance i, String tag, String name, int interval, long start, int points) throws Exception {
        int id = i.createFeed(tag, name, 5, interval);
        addFina(i, id, interval, start, 0, points);
        return id;
    }

    static void addFina(EmoncmsServers.Instance i, int id, int interval, long start, int from, int points) throws Exception {
        List<Long> t = new ArrayList<>();
        List<Float> v = new ArrayList<>();
        for (int k = from; k < from + points; k++) {
            if (k % 7 == 3) {
                continue; // a gap: the server pads it with NaN
            }
            t.add(start + (long) k * interval);
            v.add((float) (k * 1.5));
        }
        i.post(id, t.stream().mapToLong(Long::longValue).toArray(), toArray(v));
    }

    static int series(EmoncmsServers.Instance i, String tag, String name, long start, int points) throws Exception {
        int id = i.createFeed(tag, name, 2, 10);
        addSeries(i, id, start, 0, points);
        return id;
    }

    static void addSeries(EmoncmsServers.Instance i, int id, long start, int from, int points) throws Exception {
        long[] t = new long[points];
        float[] v = new float[points];
        for (int k = 0; k < points; k++) {
            int n = from + k;
            t[k] = start + n * 13L + (n % 3); // irregular times
            v[k] = n * 0.25f;
        }
        i.post(id, t, v);
    }

    static float[] toArray(List<Float> l) {
        float[] a = new float[l.size()];
        for (int k = 0; k < a.length; k++) {
            a[k] = l.get(k);
        }
        return a;
    }

    static int idOf(EmoncmsServers.Instance i, String tag, String name) throws Exception {
        JsonNode l = i.get("feed/list.json", Map.of());
        for (JsonNode f : l) {
            if (f.path("tag").asText().equals(tag) && f.path("name").asText().equals(name)) {
                return f.path("id").asInt();
            }
        }
        return -1;
    }

    static void assertSameBytes(byte[] actual, byte[] expected) {
        assertThat(actual.length).as("length").isEqualTo(expected.length);
        assertThat(java.util.Arrays.equals(actual, expected)).as("same bytes").isTrue();
    }

    static long bytesSent(SyncTarget t) {
        return ((EmoncmsTarget) t).bytesSent();
    }

    @Test
    void initialUploadThenOnlyNewPoints() throws Exception {
        int power = fina(local, "t1", "power", 10, T0, 500);
        int temp = series(local, "t1", "temp", T0, 300);
        try (SyncTarget from = open(local); SyncTarget to = open(remote)) {
            SyncReport first = copy(from, to, "t1");
            assertThat(first.failures()).isEmpty();
            assertThat(first.filesCopied()).isEqualTo(2);
            int rPower = idOf(remote, "t1", "power");
            int rTemp = idOf(remote, "t1", "temp");
            assertThat(rPower).isPositive();
            assertSameBytes(remote.phpfinaData(rPower), local.phpfinaData(power));
            assertSameBytes(remote.phpfinaMeta(rPower), local.phpfinaMeta(power));
            assertSameBytes(remote.phptimeseriesData(rTemp), local.phptimeseriesData(temp));
            JsonNode meta = remote.get("feed/getmeta.json", Map.of("id", "" + rPower));
            assertThat(meta.path("start_time").asLong()).isEqualTo(T0 - 7);
            assertThat(meta.path("interval").asInt()).isEqualTo(10);

            // A few new points: only they go, as appends with their byte range.
            addFina(local, power, 10, T0, 500, 5);
            addSeries(local, temp, T0, 300, 3);
            SyncPlan plan = Sync.between(from, to, only("t1")).dryRun();
            assertThat(plan.actions()).allSatisfy(a -> assertThat(a).isInstanceOf(SyncAction.AppendFile.class));
            SyncAction.AppendFile grow = (SyncAction.AppendFile) plan.actions().stream()
                    .filter(a -> a.path().toString().equals("t1/power")).findFirst().orElseThrow();
            assertThat(grow.from()).isEqualTo(500 * 4);
            assertThat(grow.to()).isEqualTo(505 * 4);
            long before = bytesSent(to);
            SyncReport second = Sync.between(from, to, only("t1")).execute(plan);
            assertThat(second.failures()).isEmpty();
            // One request per feed: header + points + CRC trailer.
            assertThat(bytesSent(to) - before).isEqualTo((20 + 5 * 4 + 4) + (12 + 3 * 9 + 4));
            assertSameBytes(remote.phpfinaData(rPower), local.phpfinaData(power));
            assertSameBytes(remote.phptimeseriesData(rTemp), local.phptimeseriesData(temp));

            // In step: nothing planned.
            assertThat(Sync.between(from, to, only("t1")).dryRun().actions()).isEmpty();
        }
    }

    @Test
    void downloadToANewInstanceThenItsNewPoints() throws Exception {
        int power = fina(remote, "t2", "power", 10, T0, 400);
        int temp = series(remote, "t2", "temp", T0, 200);
        try (EmoncmsServers.Instance fresh = EmoncmsServers.shared().newInstance();
                SyncTarget from = open(remote); SyncTarget to = open(fresh)) {
            SyncReport r = copy(from, to, "t2");
            assertThat(r.failures()).isEmpty();
            int dPower = idOf(fresh, "t2", "power");
            int dTemp = idOf(fresh, "t2", "temp");
            assertSameBytes(fresh.phpfinaData(dPower), remote.phpfinaData(power));
            assertSameBytes(fresh.phpfinaMeta(dPower), remote.phpfinaMeta(power));
            assertSameBytes(fresh.phptimeseriesData(dTemp), remote.phptimeseriesData(temp));

            // The download of new points reads from the local size: PHPFina's export overlaps by
            // one point, which must be neither duplicated nor lost.
            addFina(remote, power, 10, T0, 400, 9);
            addSeries(remote, temp, T0, 200, 4);
            assertThat(copy(from, to, "t2").failures()).isEmpty();
            assertSameBytes(fresh.phpfinaData(dPower), remote.phpfinaData(power));
            assertSameBytes(fresh.phptimeseriesData(dTemp), remote.phptimeseriesData(temp));
        }
    }

    @Test
    void intervalOrStartMismatchIsThatFeedsErrorAndTheRemoteIsUntouched() throws Exception {
        fina(local, "t3", "interval", 10, T0, 50);
        fina(local, "t3", "start", 10, T0, 50);
        int rInterval = fina(remote, "t3", "interval", 60, T0, 5);
        int rStart = fina(remote, "t3", "start", 10, T0 - 1000, 5);
        byte[] intervalBefore = remote.phpfinaData(rInterval);
        byte[] startBefore = remote.phpfinaData(rStart);
        try (SyncTarget from = open(local); SyncTarget to = open(remote)) {
            SyncReport r = copy(from, to, "t3");
            assertThat(r.failures()).hasSize(2);
            assertThat(r.failures()).anySatisfy(f -> {
                assertThat(f.path()).isEqualTo("t3/interval");
                assertThat(f.message()).contains("interval 60 s here, 10 s at the source");
            });
            assertThat(r.failures()).anySatisfy(f -> {
                assertThat(f.path()).isEqualTo("t3/start");
                assertThat(f.message()).contains("start time");
            });
        }
        assertSameBytes(remote.phpfinaData(rInterval), intervalBefore);
        assertSameBytes(remote.phpfinaData(rStart), startBefore);
        assertThat(remote.get("feed/getmeta.json", Map.of("id", "" + rInterval)).path("interval").asInt()).isEqualTo(60);
    }

    @Test
    void loginWithUserAndPassword() throws Exception {
        fina(local, "t4", "power", 10, T0, 30);
        try (SyncTarget from = SyncTargets.load().open(local.location(),
                Map.of("user", EmoncmsServers.Instance.USER, "password", EmoncmsServers.Instance.PASSWORD));
                SyncTarget to = open(remote)) {
            assertThat(copy(from, to, "t4").failures()).isEmpty();
            Entry e = to.stat(SyncPath.of("t4/power")).orElseThrow();
            assertThat(e.size()).isEqualTo(30 * 4);
            assertThat(e.version()).contains("engine=5;interval=10;start=" + (T0 - 7) + ";npoints=30");
            assertThat(e.modTime()).hasValueSatisfying(t -> assertThat(t.getEpochSecond()).isEqualTo(T0 - 7 + 29 * 10));
        }
    }

    @Test
    void wrongKeyOrPasswordIsAClearErrorWithoutTheSecret() {
        String badKey = "0123456789abcdef0123456789abcdef";
        assertThatThrownBy(() -> SyncTargets.load().open(remote.location(), Map.of("apikey", badKey)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("Invalid API key")
                .message().doesNotContain(badKey);
        assertThatThrownBy(() -> SyncTargets.load().open(remote.location(),
                Map.of("user", EmoncmsServers.Instance.USER, "password", dev.ferry.testkit.TestSecrets.secret("wrong-emoncms-password"))))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("refused user admin")
                .message().doesNotContain(dev.ferry.testkit.TestSecrets.MARKER);
        assertThatThrownBy(() -> SyncTargets.load().open(remote.location(), Map.of("apikey", "not-a-key")))
                .isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("32 lowercase hex");
    }

    @Test
    void aServerThatIsNotEmoncmsIsAClearError() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            byte[] b = "<html><body>It works!</body></html>".getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "text/html");
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        server.start();
        try {
            String loc = "emoncms://127.0.0.1:" + server.getAddress().getPort() + "/";
            assertThatThrownBy(() -> SyncTargets.load().open(loc, Map.of("apikey", remote.writeKey())))
                    .isInstanceOf(InvalidTargetException.class)
                    .hasMessageContaining("not an Emoncms server");
            assertThatThrownBy(() -> SyncTargets.load().open(loc, Map.of("user", "u", "password", dev.ferry.testkit.TestSecrets.secret("p"))))
                    .isInstanceOf(InvalidTargetException.class)
                    .hasMessageContaining("not an Emoncms server");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aDataFileThatIsNotWholePointsIsAnErrorAndNothingIsWritten() throws Exception {
        int id = fina(local, "t5", "power", 10, T0, 40);
        java.nio.file.Path dat = local.phpfinaDir().resolve(id + ".dat");
        Files.write(dat, new byte[] {1, 2}, StandardOpenOption.APPEND);
        Map<String, String> dataDir = Map.of("dataDir", local.phpfinaDir().getParent().toString());
        try (SyncTarget from = open(local, dataDir); SyncTarget to = open(remote)) {
            SyncReport r = copy(from, to, "t5");
            assertThat(r.failures()).isNotEmpty();
            assertThat(r.failures().get(0).message()).contains("not a whole number of 4-byte points");
        } finally {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dat, StandardOpenOption.WRITE)) {
                ch.truncate(40 * 4); // the other tests' dataDir listings see a sound feed again
            }
        }
        assertThat(idOf(remote, "t5", "power")).isEqualTo(-1);
    }

    @Test
    void localFilesThroughDataDir() throws Exception {
        int power = fina(local, "t6", "power", 10, T0, 120);
        int temp = series(local, "t6", "temp", T0, 60);
        Map<String, String> dataDir = Map.of("dataDir", local.phpfinaDir().getParent().toString());
        try (SyncTarget from = open(local, dataDir); SyncTarget to = open(remote)) {
            assertThat(copy(from, to, "t6").failures()).isEmpty();
            assertSameBytes(remote.phpfinaData(idOf(remote, "t6", "power")), local.phpfinaData(power));
            assertSameBytes(remote.phptimeseriesData(idOf(remote, "t6", "temp")), local.phptimeseriesData(temp));
            addFina(local, power, 10, T0, 120, 6);
            long before = bytesSent(to);
            assertThat(copy(from, to, "t6").failures()).isEmpty();
            assertThat(bytesSent(to) - before).isEqualTo(20 + 6 * 4 + 4);
            assertSameBytes(remote.phpfinaData(idOf(remote, "t6", "power")), local.phpfinaData(power));
        }
    }

    @Test
    void legacyUploadForServersWithoutFeedSync() throws Exception {
        int power = fina(local, "t7", "power", 10, T0, 200);
        try (SyncTarget from = open(local); SyncTarget to = open(remote, Map.of("legacyUpload", "true"))) {
            assertThat(copy(from, to, "t7").failures()).isEmpty();
            int r = idOf(remote, "t7", "power");
            assertSameBytes(remote.phpfinaData(r), local.phpfinaData(power));
            assertSameBytes(remote.phpfinaMeta(r), local.phpfinaMeta(power));
            addFina(local, power, 10, T0, 200, 10);
            assertThat(copy(from, to, "t7").failures()).isEmpty();
            assertSameBytes(remote.phpfinaData(r), local.phpfinaData(power));
        }
    }

    @Test
    void listingShowsFeedsAsTagSlashName() throws Exception {
        fina(local, "t8", "power", 10, T0, 12);
        series(local, "t8", "temp", T0, 5);
        try (SyncTarget t = open(local)) {
            List<Entry> entries = new ArrayList<>();
            t.list(SyncPath.of("t8"), new ListingSink() {
                @Override
                public void entry(Entry entry) {
                    entries.add(entry);
                }

                @Override
                public void notice(ListingNotice notice) {}
            });
            assertThat(entries).extracting(e -> e.path().toString()).containsExactlyInAnyOrder("t8/power", "t8/temp");
            assertThat(entries).extracting(Entry::size).containsExactlyInAnyOrder(12L * 4, 5L * 9);
        }
    }
}
