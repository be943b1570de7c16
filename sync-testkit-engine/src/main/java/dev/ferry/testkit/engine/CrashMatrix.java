package dev.ferry.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.ConflictPolicy;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncAction;
import dev.ferry.core.SyncListener;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.testkit.Leftovers;
import dev.ferry.testkit.Listings;
import dev.ferry.testkit.TestContent;
import dev.ferry.testkit.engine.KilledSync.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The crash matrix: a one-way (mirror) or two-way run in a child JVM, killed with SIGKILL as it
 * starts action number k, then run again in-process to the end. After the second run both sides
 * must be exactly what an uninterrupted run gives (no file lost, no deleted file back, no new
 * file deleted, both sides alike in two-way), a third run must find nothing to do (the state is
 * consistent), and no temporary name may be left in a local side's folder. Side A is always a
 * local folder; side B is whatever the backend's test gives ({@code sideB} opens a fresh one per
 * point, filled by the driver through the engine).
 *
 * <p>Which points: every action index below {@code min(actions, 30)} when the system property
 * {@code ferry.crash.points} is {@code all}; otherwise a seeded sample of that many points (the
 * first and last always in), default 6, so CI stays fast. The seed is {@code ferry.crash.seed}
 * (default 19): a CI run that passes another one (the day, the build number) tries another
 * subset, and the summary line names the points so a failure can be replayed.
 */
public final class CrashMatrix {

    private static final Instant BASE = Instant.parse("2024-05-01T08:00:00Z");

    /** What a matrix tried. */
    public record Result(SyncMode mode, int actions, List<Integer> killedAt) {
        /** One line for logs and the reliability table. */
        public String summary(String backend) {
            return backend + " " + mode + ": " + actions + " actions, killed at " + killedAt + " (seed "
                    + Long.getLong("ferry.crash.seed", 19) + "), all converged";
        }
    }

    private CrashMatrix() {}

    /** Runs the matrix for one mode; {@code sideB} gives a fresh, empty location for each run it needs. */
    public static Result run(Path work, SyncMode mode, IntFunction<Location> sideB) throws Exception {
        return run(work, mode, sideB, 6);
    }

    /**
     * As {@link #run(Path, SyncMode, IntFunction)}, sampling {@code points} kill points unless
     * {@code ferry.crash.points} says otherwise: a slow backend (a child JVM that must log in to
     * a server) keeps its CI time down with fewer points per run and a seed that changes.
     */
    public static Result run(Path work, SyncMode mode, IntFunction<Location> sideB, int points) throws Exception {
        // The uninterrupted run: what every killed-and-rerun pair must end with.
        Path controlDir = work.resolve("control");
        Location controlB = sideB.apply(-1);
        prepare(controlDir, controlB, mode);
        AtomicInteger actions = new AtomicInteger();
        try (SyncTarget a = local(controlDir).open(); SyncTarget b = controlB.open()) {
            var r = Sync.between(a, b, options(mode, controlDir.resolve("state"), new SyncListener() {
                @Override
                public void started(SyncAction action) {
                    actions.incrementAndGet();
                }
            })).run();
            assertThat(r.failures()).as("the uninterrupted run").isEmpty();
        }
        Map<String, String> wantA = snapshot(local(controlDir));
        Map<String, String> wantB = snapshot(controlB);
        List<Integer> killAt = points(actions.get(), points);
        for (int k : killAt) {
            Path dir = work.resolve("kill-" + k);
            Location b = sideB.apply(k);
            prepare(dir, b, mode);
            Process child = start(local(dir), b, dir.resolve("state"), mode, k, dir);
            Path marker = dir.resolve("killed-here");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            try {
                while (!Files.exists(marker)) {
                    if (!child.isAlive()) {
                        throw new AssertionError("the child ended (exit " + child.exitValue() + ") before action " + k
                                + ": " + Files.readString(dir.resolve("child.log")));
                    }
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the child did not reach action " + k);
                    }
                    Thread.sleep(5);
                }
            } finally {
                child.destroyForcibly().waitFor(); // SIGKILL
            }
            try (SyncTarget a = local(dir).open(); SyncTarget bt = b.open()) {
                var r = Sync.between(a, bt, options(mode, dir.resolve("state"), SyncListener.NONE)).run();
                assertThat(r.failures()).as("the run after a kill at action " + k).isEmpty();
                assertThat(Sync.between(a, bt, options(mode, dir.resolve("state"), SyncListener.NONE)).dryRun().actions())
                        .as("a third run after a kill at action " + k).isEmpty();
            }
            assertThat(snapshot(local(dir))).as("side A after a kill at action " + k).isEqualTo(wantA);
            assertThat(snapshot(b)).as("side B after a kill at action " + k).isEqualTo(wantB);
            Leftovers.assertNoTemporaryFiles(dir.resolve("a"), "in side A after a kill at " + k);
        }
        return new Result(mode, actions.get(), killAt);
    }

    static List<Integer> points(int actions, int sample) {
        int n = Math.min(actions, 30);
        String prop = System.getProperty("ferry.crash.points", Integer.toString(sample));
        if (prop.equals("all") || n <= Integer.parseInt(prop)) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(i);
            }
            return all;
        }
        TreeSet<Integer> pick = new TreeSet<>(List.of(0, n - 1));
        SplittableRandom r = new SplittableRandom(Long.getLong("ferry.crash.seed", 19));
        while (pick.size() < Integer.parseInt(prop)) {
            pick.add(r.nextInt(n));
        }
        return new ArrayList<>(pick);
    }

    private static Location local(Path dir) {
        return Location.of(dir.resolve("a").toString());
    }

    private static SyncOptions options(SyncMode mode, Path state, SyncListener listener) {
        return SyncOptions.builder().mode(mode).conflictPolicy(ConflictPolicy.KEEP_BOTH).stateDirectory(state)
                .transfers(1).checkers(1).listener(listener).build();
    }

    /**
     * Side A (a local folder) and side B after a first run, then changed: for two-way, new,
     * changed and deleted files on both sides; for one-way, on A, with stale files on B.
     */
    private static void prepare(Path dir, Location b, SyncMode mode) throws IOException {
        Path a = Files.createDirectories(dir.resolve("a"));
        for (int i = 0; i < 8; i++) {
            write(a.resolve("keep/k" + i + ".txt"), i, 2000 + i);
            write(a.resolve("gone/g" + i + ".txt"), 100 + i, 3000 + i);
        }
        try (SyncTarget at = local(dir).open(); SyncTarget bt = b.open()) {
            var r = Sync.between(at, bt, options(mode, dir.resolve("state"), SyncListener.NONE)).run();
            assertThat(r.failures()).as("the first run").isEmpty();
            // Changes after the first run.
            for (int i = 0; i < 8; i++) {
                write(a.resolve("new/n" + i + ".bin"), 200 + i, (i == 3 ? 3L << 20 : 5000 + i));
            }
            write(a.resolve("keep/k0.txt"), 999, 4444);
            Files.delete(a.resolve("gone/g0.txt"));
            Files.delete(a.resolve("gone/g1.txt"));
            if (mode == SyncMode.TWO_WAY) {
                for (int i = 0; i < 4; i++) {
                    bt.write(SyncPath.of("fromb/b" + i + ".bin"), TestContent.stream(300 + i, 7000 + i),
                            dev.ferry.api.WriteHints.ofSize(7000 + i));
                }
                bt.delete(SyncPath.of("gone/g5.txt"));
                bt.write(SyncPath.of("keep/k7.txt"), TestContent.stream(777, 1234), dev.ferry.api.WriteHints.ofSize(1234));
            }
        }
    }

    private static void write(Path p, long seed, long size) throws IOException {
        Files.createDirectories(p.getParent());
        TestContent.writeFile(p, seed, size);
        Files.setLastModifiedTime(p, FileTime.from(BASE.plusSeconds(seed * 17 + size % 1000)));
    }

    /** Every file of a side, by path, with its content's SHA-256. */
    static Map<String, String> snapshot(Location l) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (SyncTarget t = l.open()) {
            walk(t, SyncPath.ROOT, out);
        }
        return out;
    }

    private static void walk(SyncTarget t, SyncPath dir, Map<String, String> out) throws IOException {
        for (Entry e : Listings.collect(t, dir).entries()) {
            if (e.isDirectory()) {
                walk(t, e.path(), out);
            } else {
                // Conflict copies carry the time of the run in their name: keep only that there is one.
                String name = e.path().toString().replaceAll("\\.sync-conflict-[0-9-]+-[A-Za-z0-9]+", ".sync-conflict");
                try (InputStream in = t.open(e.path(), 0)) {
                    out.put(name, TestContent.sha256(in));
                }
            }
        }
    }

    private static Process start(Location a, Location b, Path state, SyncMode mode, int killAt, Path work)
            throws IOException {
        Properties p = new Properties();
        p.setProperty("a", a.uri());
        a.options().forEach((k, v) -> p.setProperty("a." + k, v));
        p.setProperty("b", b.uri());
        b.options().forEach((k, v) -> p.setProperty("b." + k, v));
        p.setProperty("state", state.toString());
        p.setProperty("mode", mode.name());
        p.setProperty("killAt", Integer.toString(killAt));
        p.setProperty("marker", work.resolve("killed-here").toString());
        Path args = work.resolve("child.properties");
        try (OutputStream out = Files.newOutputStream(args)) {
            p.store(out, null);
        }
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), CrashMatrix.class.getName(),
                args.toString()).redirectErrorStream(true).redirectOutput(work.resolve("child.log").toFile()).start();
    }

    private static Location get(Properties p, String prefix) {
        Map<String, String> options = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(prefix + ".")) {
                options.put(name.substring(prefix.length() + 1), p.getProperty(name));
            }
        }
        return new Location(p.getProperty(prefix), options);
    }

    /** The child: runs the sync and stops dead (waiting for its SIGKILL) as action {@code killAt} starts. */
    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            p.load(in);
        }
        int killAt = Integer.parseInt(p.getProperty("killAt"));
        Path marker = Path.of(p.getProperty("marker"));
        AtomicInteger index = new AtomicInteger();
        SyncListener stopper = new SyncListener() {
            @Override
            public void started(SyncAction action) {
                if (index.getAndIncrement() == killAt) {
                    try {
                        Files.writeString(marker, action.toString());
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (IOException | InterruptedException e) {
                        Runtime.getRuntime().halt(3);
                    }
                }
            }
        };
        try (SyncTarget a = get(p, "a").open(); SyncTarget b = get(p, "b").open()) {
            Sync.between(a, b, options(SyncMode.valueOf(p.getProperty("mode")), Path.of(p.getProperty("state")), stopper)).run();
        }
        Files.writeString(marker, "finished");
    }
}
