package dev.ferry.testkit.engine;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetSpec;
import dev.ferry.core.RemotesConfig;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncPlan;
import dev.ferry.core.SyncReport;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.SyntheticTarget;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The engine side of the bench's {@code --scale} mode: runs the engine in this JVM, step by
 * step, between two locations ({@code synthetic:N} for a {@link SyntheticTarget}, anything
 * else through the installed providers and the remotes of {@code $FERRY_CONFIG}), and prints
 * one line per step:
 *
 * <pre>step=plan ms=812 actions=10000 unchanged=0 baselineBytes=... peakBytes=... retainedBytes=... gcs=12</pre>
 *
 * <ul>
 *   <li>{@code plan}: {@code Sync.dryRun()}; {@code run}: {@code Sync.run()} (plan and execute).
 *       Steps share the state directory, so {@code run,run} times a no-op re-sync with the
 *       state the first run left (the engine's record of copies, where it keeps one).</li>
 *   <li>{@code ms}: the step's wall time in this JVM: engine time, no JVM start.</li>
 *   <li>{@code peakBytes}: the largest heap in use right after any garbage collection during
 *       the step (every pool, from the collectors' notifications), or after one forced
 *       collection at the end with the step's result still held, whichever is larger: an upper
 *       bound on what the step kept alive, at collection granularity. {@code baselineBytes} is
 *       the heap in use after a forced collection before the step; per-entry figures subtract
 *       it.</li>
 * </ul>
 *
 * <p>Usage: {@code ScaleProbe SOURCE DESTINATION STATE_DIR STEPS [MODE]}, e.g.
 * {@code ScaleProbe synthetic:1000000 synthetic:0 /tmp/state plan}. MODE is {@code copy} (default)
 * or {@code mirror}. Exit status 0, or 1 with the reason on stderr.
 */
public final class ScaleProbe {

    private static final AtomicLong PEAK = new AtomicLong();
    private static final AtomicLong GCS = new AtomicLong();

    private ScaleProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ScaleProbe SOURCE DESTINATION STATE_DIR STEPS [copy|mirror]");
            System.exit(2);
        }
        listenToCollections();
        SyncMode mode = args.length > 4 && args[4].equals("mirror") ? SyncMode.MIRROR : SyncMode.COPY;
        SyncOptions options = SyncOptions.builder().mode(mode).stateDirectory(Path.of(args[2])).build();
        try (SyncTarget source = open(args[0]); SyncTarget destination = open(args[1])) {
            dev.ferry.core.Sync sync = dev.ferry.core.Sync.between(source, destination, options);
            for (String step : args[3].split(",")) {
                System.out.println(measure(sync, step));
                System.out.flush();
            }
        }
    }

    /** Runs one step and describes it as {@code key=value} pairs. */
    static String measure(dev.ferry.core.Sync sync, String step) throws Exception {
        long baseline = collect();
        PEAK.set(0);
        long gcsBefore = GCS.get();
        long t0 = System.nanoTime();
        Object result;
        long actions;
        long unchanged;
        long failures;
        switch (step) {
            case "plan" -> {
                SyncPlan plan = sync.dryRun();
                result = plan;
                actions = plan.actions().size();
                unchanged = plan.unchangedFiles();
                failures = plan.scanFailures().size();
            }
            case "run" -> {
                SyncReport report = sync.run();
                result = report;
                actions = report.filesCopied() + report.modTimesUpdated() + report.filesDeleted();
                unchanged = report.unchangedFiles();
                failures = report.failures().size();
            }
            default -> throw new IllegalArgumentException("unknown step " + step + " (plan or run)");
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long gcs = GCS.get() - gcsBefore;
        long retained = collect();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("step", step);
        out.put("ms", ms);
        out.put("actions", actions);
        out.put("unchanged", unchanged);
        out.put("failures", failures);
        out.put("baselineBytes", baseline);
        out.put("peakBytes", Math.max(PEAK.get(), retained));
        out.put("retainedBytes", retained);
        out.put("gcs", gcs);
        java.lang.ref.Reference.reachabilityFence(result);
        List<String> parts = new ArrayList<>();
        out.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(" ", parts);
    }

    /** Heap in use after a full collection. */
    private static long collect() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Records the heap in use after every collection, the peak of which a step reports. */
    private static void listenToCollections() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                        (CompositeData) n.getUserData());
                long used = 0;
                for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (isHeap(e.getKey())) {
                        used += e.getValue().getUsed();
                    }
                }
                GCS.incrementAndGet();
                PEAK.accumulateAndGet(used, Math::max);
            }, null, null);
        }
    }

    private static boolean isHeap(String pool) {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .anyMatch(p -> p.getName().equals(pool) && p.getType() == java.lang.management.MemoryType.HEAP);
    }

    private static SyncTarget open(String location) throws Exception {
        if (location.startsWith("synthetic:")) {
            return SyntheticTarget.parse(location);
        }
        SyncTargets base = SyncTargets.load(ScaleProbe.class.getClassLoader());
        String configFile = System.getenv("FERRY_CONFIG");
        if (configFile != null) {
            RemotesConfig config = RemotesConfig.load(Path.of(configFile), System::getenv);
            Map<String, TargetSpec> named = new LinkedHashMap<>();
            for (String name : config.names()) {
                named.put(name, config.spec(name, base, System::getenv));
            }
            base = base.withRemotes(named);
        }
        return base.open(location);
    }
}
