package dev.ferry.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.RetryPolicy;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.FaultProxy;
import dev.ferry.testkit.Listings;
import dev.ferry.testkit.TestContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The one fault scenario every network backend runs through a {@link FaultProxy}: a tree of small
 * files and one large file is mirrored up to the backend and back down into a fresh folder with
 * faults on, then checked with faults off: nothing failed, every byte and every time (to the
 * backend's precision) is as it was, a second run finds nothing to do, no temporary file shows
 * in the backend's listing or in the folder it came back to. The retries the engine counted and
 * the faults the proxy injected come back for the report.
 *
 * <p>A backend opts in with one small test class: start its real server, put a proxy built on a
 * {@link dev.ferry.testkit.FaultPlan} in front of it, and call {@link #run} with a way to open
 * the backend's target through the proxy.
 */
public final class FaultScenario {

    /** Opens a fresh handle on the backend's location, reaching the server through the proxy. */
    @FunctionalInterface
    public interface Remote {
        SyncTarget open() throws IOException;
    }

    /**
     * The shape of the data: {@code smallFiles} files of up to {@code smallMax} bytes in ten
     * folders, and one file of {@code largeSize} bytes.
     */
    public record Shape(int smallFiles, int smallMax, long largeSize, long seed) {
        /** 500 small files of up to 16 KiB and one of 64 MiB, as issue 19 asks. */
        public static final Shape STANDARD = new Shape(500, 16 << 10, 64L << 20, 19);
    }

    /** What the runs did: the engine's reports and what the proxy injected. */
    public record Result(SyncReport upload, SyncReport download, FaultProxy.Counts faults, int files, long bytes) {
        /** Retries the engine counted, both ways. */
        public long retries() {
            return upload.retries() + download.retries();
        }

        /** One line for logs and the reliability table. */
        public String summary(String backend) {
            return backend + ": " + files + " files, " + bytes + " bytes up and down; " + faults.faults()
                    + " faults injected (" + faults.injected() + ", " + faults.refused() + " connections refused), "
                    + retries() + " retries counted, 0 failures; up " + upload.duration().toMillis() + " ms, down "
                    + download.duration().toMillis() + " ms";
        }
    }

    /** Retries generous enough for a fault every few hundred KiB, with short waits. */
    public static final RetryPolicy PATIENT = new RetryPolicy(40, Duration.ofMillis(5), Duration.ofMillis(200), 100_000);

    private static final Instant BASE = Instant.parse("2024-03-01T10:00:00Z");

    private FaultScenario() {}

    /**
     * Runs the scenario in {@code work} (a fresh directory): up with faults on, checked with them
     * off; down with faults on, checked with them off.
     *
     * @param options extra engine options for the backend (may be the builder's defaults)
     */
    public static Result run(Path work, Shape shape, FaultProxy proxy, Remote remote, SyncOptions.Builder options)
            throws IOException {
        return run(work, shape, proxy, remote, options, true);
    }

    /**
     * As {@link #run(Path, Shape, FaultProxy, Remote, SyncOptions.Builder)}; with
     * {@code cutDownloads} false, the download meets stalls, trickles and refusals but no cut or
     * reset (for a backend with a known gap there, named in its test).
     */
    public static Result run(Path work, Shape shape, FaultProxy proxy, Remote remote, SyncOptions.Builder options,
            boolean cutDownloads) throws IOException {
        Path src = Files.createDirectories(work.resolve("src"));
        long bytes = makeTree(src, shape);
        int files = shape.smallFiles() + 1;
        SyncReport up;
        SyncReport down;
        Path back = Files.createDirectories(work.resolve("back"));
        try (SyncTarget local = SyncTargets.load().open(src.toString()); SyncTarget r = remote.open()) {
            proxy.faultsOn(true);
            up = Sync.between(local, r, options(options, work.resolve("state-up"))).run();
            assertThat(up.failures()).as("upload failures").isEmpty();
            assertThat(up.filesCopied()).isEqualTo(files);
        }
        proxy.faultsOn(false);
        Duration precision;
        try (SyncTarget local = SyncTargets.load().open(src.toString()); SyncTarget r = remote.open()) {
            precision = checkRemote(src, r);
            assertThat(Sync.between(local, r, options(options, work.resolve("state-check"))).dryRun().actions())
                    .as("a second upload finds nothing to do").isEmpty();
        }
        try (SyncTarget r = remote.open(); SyncTarget local = SyncTargets.load().open(back.toString())) {
            proxy.faultsOn(true);
            proxy.destructiveOn(cutDownloads);
            down = Sync.between(r, local, options(options, work.resolve("state-down"))).run();
            proxy.faultsOn(false);
            proxy.destructiveOn(true);
            assertThat(down.failures()).as("download failures").isEmpty();
        }
        checkLocalCopy(src, back, precision);
        return new Result(up, down, proxy.counts(), files, bytes);
    }

    private static SyncOptions options(SyncOptions.Builder extra, Path state) {
        return extra.mode(SyncMode.MIRROR).retry(PATIENT).stateDirectory(state).build();
    }

    /** The tree: ten folders of small files with seeded sizes, one large file; whole-second times. */
    static long makeTree(Path src, Shape shape) throws IOException {
        SplittableRandom random = new SplittableRandom(shape.seed());
        long total = 0;
        for (int i = 0; i < shape.smallFiles(); i++) {
            Path dir = Files.createDirectories(src.resolve("d" + (i % 10)));
            int size = random.nextInt(shape.smallMax() + 1);
            Path f = TestContent.writeFile(dir.resolve("f" + i + ".bin"), shape.seed() * 1000 + i, size);
            Files.setLastModifiedTime(f, FileTime.from(BASE.plusSeconds(i * 61L)));
            total += size;
        }
        Path large = TestContent.writeFile(Files.createDirectories(src.resolve("large")).resolve("large.bin"),
                shape.seed(), shape.largeSize());
        Files.setLastModifiedTime(large, FileTime.from(BASE.minusSeconds(86_400)));
        return total + shape.largeSize();
    }

    /** Every file is listed with its size and time; no temporary name shows. Returns the coarsest precision seen. */
    private static Duration checkRemote(Path src, SyncTarget r) throws IOException {
        Map<String, Entry> listed = new TreeMap<>();
        walk(r, SyncPath.ROOT, listed);
        Map<String, Path> expected = localFiles(src);
        assertThat(listed.keySet()).as("the files on the backend").containsExactlyInAnyOrderElementsOf(expected.keySet());
        Duration coarsest = Duration.ofNanos(1);
        for (Map.Entry<String, Path> e : expected.entrySet()) {
            Entry entry = listed.get(e.getKey());
            assertThat(entry.size()).as(e.getKey()).isEqualTo(Files.size(e.getValue()));
            if (entry.modTime().isPresent()) {
                Duration p = entry.modTimePrecision();
                coarsest = p.compareTo(coarsest) > 0 ? p : coarsest;
                assertTimeClose(e.getKey(), entry.modTime().get(), Files.getLastModifiedTime(e.getValue()).toInstant(), p);
            }
        }
        return coarsest;
    }

    private static void walk(SyncTarget t, SyncPath dir, Map<String, Entry> out) throws IOException {
        Listings.Result l = Listings.collect(t, dir);
        for (Entry e : l.entries()) {
            assertThat(e.path().name()).as("a temporary name in the listing").doesNotStartWith(".ferry-");
            if (e.isDirectory()) {
                walk(t, e.path(), out);
            } else {
                out.put(e.path().toString(), e);
            }
        }
    }

    private static Map<String, Path> localFiles(Path root) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    out.put(root.relativize(p).toString().replace('\\', '/'), p);
                }
            }
        }
        return out;
    }

    /** The folder the files came back to holds the same bytes and times, and nothing else. */
    private static void checkLocalCopy(Path src, Path back, Duration precision) throws IOException {
        Map<String, Path> a = localFiles(src);
        Map<String, Path> b = localFiles(back);
        assertThat(b.keySet()).as("the files that came back (no temporary left)").containsExactlyInAnyOrderElementsOf(a.keySet());
        List<String> differ = new ArrayList<>();
        for (Map.Entry<String, Path> e : a.entrySet()) {
            Path copy = b.get(e.getKey());
            if (Files.size(copy) != Files.size(e.getValue()) || !sha256(copy).equals(sha256(e.getValue()))) {
                differ.add(e.getKey());
            }
            assertTimeClose(e.getKey(), Files.getLastModifiedTime(copy).toInstant(),
                    Files.getLastModifiedTime(e.getValue()).toInstant(), precision);
        }
        assertThat(differ).as("files whose content changed on the way").isEmpty();
    }

    private static void assertTimeClose(String what, Instant actual, Instant expected, Duration precision) {
        assertThat(Duration.between(expected, actual).abs()).as("time of " + what + ": " + actual + " for " + expected)
                .isLessThanOrEqualTo(precision.isZero() ? Duration.ofNanos(1) : precision);
    }

    private static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return TestContent.sha256(in);
        }
    }
}
