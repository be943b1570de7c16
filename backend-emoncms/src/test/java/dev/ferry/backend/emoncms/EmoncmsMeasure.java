package dev.ferry.backend.emoncms;

import static dev.ferry.backend.emoncms.EmoncmsSyncTest.assertSameBytes;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.idOf;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.open;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Measure row: N PHPFina feeds at 10 s uploaded by Ferry and by the official module's
 * {@code sync_upload.php sel} from one local instance to two fresh remotes; then 5 minutes of new
 * data (30 points per feed), three times, interleaved. Not part of the test run (no Test suffix):
 * {@code mvn -o -pl backend-emoncms verify -Dtest=EmoncmsMeasure -Dmeasure.days=30}.
 */
class EmoncmsMeasure {

    @Test
    void ferryAgainstTheOfficialModule() throws Exception {
        int days = Integer.getInteger("measure.days", 30);
        int feeds = Integer.getInteger("measure.feeds", 10);
        int points = days * 8640;
        EmoncmsServers s = EmoncmsServers.shared();
        EmoncmsServers.Instance local = s.newInstance(Map.of("sync", s.syncModule().resolve("sync-module")));
        EmoncmsServers.Instance byFerry = s.newInstance();
        EmoncmsServers.Instance byModule = s.newInstance();
        try {
            InteropTest.OfficialSync official = InteropTest.OfficialSync.install(s, local, byModule);
            long start = 1_700_000_000L;
            int[] ids = new int[feeds];
            for (int f = 0; f < feeds; f++) {
                ids[f] = local.createFeed("m", "feed" + f, 5, 10);
                // Written as PHPFina writes them: .meta (0, 0, interval, start) and float32 LE data.
                ByteBuffer meta = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(0).putInt(10).putInt((int) start);
                Files.write(local.phpfinaDir().resolve(ids[f] + ".meta"), meta.array());
                Files.write(local.phpfinaDir().resolve(ids[f] + ".dat"), data(0, points, f));
                official.flag(ids[f]);
            }
            System.out.printf("MEASURE %d feeds x %d points (%d days at 10 s), %.1f MB%n", feeds, points, days, feeds * points * 4 / 1e6);
            try (SyncTarget from = open(local); SyncTarget to = open(byFerry)) {
                long t = System.nanoTime();
                SyncReport r = Sync.between(from, to, SyncOptions.builder().build()).run();
                double ferryInitial = (System.nanoTime() - t) / 1e9;
                long ferryBytes = ((EmoncmsTarget) to).bytesSent();
                if (!r.failures().isEmpty()) {
                    throw new AssertionError(r.failures().toString());
                }
                t = System.nanoTime();
                String out = official.uploadPass();
                double moduleInitial = (System.nanoTime() - t) / 1e9;
                System.out.printf("MEASURE initial: ferry %.2f s %d bytes; module %.2f s %d bytes%n", ferryInitial, ferryBytes,
                        moduleInitial, uploaded(out));

                List<Double> ft = new ArrayList<>();
                List<Double> mt = new ArrayList<>();
                long fb = 0;
                long mb = 0;
                int have = points;
                for (int rep = 0; rep < 3; rep++) {
                    for (int f = 0; f < feeds; f++) {
                        Files.write(local.phpfinaDir().resolve(ids[f] + ".dat"), data(have, 30, f), StandardOpenOption.APPEND);
                    }
                    have += 30;
                    long before = ((EmoncmsTarget) to).bytesSent();
                    t = System.nanoTime();
                    r = Sync.between(from, to, SyncOptions.builder().build()).run();
                    ft.add((System.nanoTime() - t) / 1e9);
                    fb = ((EmoncmsTarget) to).bytesSent() - before;
                    t = System.nanoTime();
                    out = official.uploadPass();
                    mt.add((System.nanoTime() - t) / 1e9);
                    mb = uploaded(out);
                }
                System.out.printf("MEASURE incremental (30 points per feed), median of 3: ferry %.2f s %d bytes; module %.2f s %d bytes%n",
                        median(ft), fb, median(mt), mb);
                for (int f = 0; f < feeds; f++) {
                    assertSameBytes(byFerry.phpfinaData(idOf(byFerry, "m", "feed" + f)), byModule.phpfinaData(idOf(byModule, "m", "feed" + f)));
                }
            }
        } finally {
            local.close();
            byFerry.close();
            byModule.close();
        }
    }

    private static byte[] data(int from, int n, int feed) {
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat((float) (100 * feed + Math.sin((from + i) / 500.0) * 50));
        }
        return b.array();
    }

    /** Request bodies the module sent: its "- Upload size: N" lines, plus the 4-byte CRC of each. */
    private static long uploaded(String out) {
        long sum = 0;
        Matcher m = Pattern.compile("Upload size: (\\d+)").matcher(out);
        while (m.find()) {
            sum += Long.parseLong(m.group(1)) + 4;
        }
        return sum;
    }

    private static double median(List<Double> l) {
        List<Double> c = new ArrayList<>(l);
        Collections.sort(c);
        return c.get(c.size() / 2);
    }
}
