package dev.ferry.testkit.engine;

import dev.ferry.testkit.Listings;
import dev.ferry.testkit.TestContent;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.LongSupplier;

/**
 * A one-way sync run in a child JVM that a test kills with SIGKILL part-way, to prove that a
 * transfer survives the death of its process: no shutdown hook, no state saved on the way out.
 * The child runs {@code Sync.between(source, destination)} with a bandwidth limit so the test can
 * catch it in the middle; the test then runs the same sync in-process and checks what it sent.
 *
 * <p>Locations and their options (credentials included) reach the child through a file, not
 * its command line, which other users of the machine can read.
 */
public final class KilledSync {

    /** Where to sync from or to, as {@link SyncTargets#open(String, Map)} takes it. */
    public record Location(String uri, Map<String, String> options) {
        public Location {
            Objects.requireNonNull(uri, "uri");
            options = Map.copyOf(options);
        }

        /** A location without options. */
        public static Location of(String uri) {
            return new Location(uri, Map.of());
        }

        /** Opens this location with the providers on the class path. */
        public SyncTarget open() throws IOException {
            return SyncTargets.load().open(uri, options);
        }

        @Override
        public String toString() {
            return SyncTargets.redact(uri) + " (" + options.size() + " options)";
        }
    }

    private KilledSync() {}

    /**
     * Starts the child. Its output goes to {@code workDir/child.log}, which {@link #killWhen}
     * shows if the child dies on its own.
     *
     * @param bytesPerSecond the child's bandwidth limit, so that it is still running when caught
     */
    public static Process start(Location source, Location destination, Path stateDirectory, long bytesPerSecond,
            Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Properties p = new Properties();
        put(p, "source", source);
        put(p, "destination", destination);
        p.setProperty("stateDirectory", stateDirectory.toString());
        p.setProperty("bytesPerSecond", Long.toString(bytesPerSecond));
        Path args = workDir.resolve("child.properties");
        try (OutputStream out = Files.newOutputStream(args)) {
            p.store(out, null);
        }
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), KilledSync.class.getName(), args.toString())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("child.log").toFile()).start();
    }

    /**
     * Waits until {@code progress} (what the destination holds of the transfer, as the test
     * measures it there) reaches {@code threshold}, then kills the child with SIGKILL and waits
     * for it to be gone.
     *
     * @throws AssertionError if the child ends by itself or is too slow
     */
    public static void killWhen(Process child, LongSupplier progress, long threshold, Duration timeout, Path workDir)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (progress.getAsLong() < threshold) {
                if (!child.isAlive()) {
                    throw new AssertionError("the child sync ended (exit " + child.exitValue()
                            + ") before it could be killed; its log:\n" + log(workDir));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the child sync did not reach " + threshold + " bytes within " + timeout
                            + " (at " + progress.getAsLong() + "); its log:\n" + log(workDir));
                }
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly().waitFor(); // kill -9: no cleanup, no state save
        }
    }

    private static String log(Path workDir) throws IOException {
        Path log = workDir.resolve("child.log");
        return Files.exists(log) ? Files.readString(log) : "(none)";
    }

    private static void put(Properties p, String prefix, Location l) {
        p.setProperty(prefix, l.uri());
        l.options().forEach((k, v) -> p.setProperty(prefix + "." + k, v));
    }

    private static Location get(Properties p, String prefix) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(prefix + ".")) {
                options.put(name.substring(prefix.length() + 1), p.getProperty(name));
            }
        }
        return new Location(p.getProperty(prefix), options);
    }

    /** The child: {@code KilledSync PROPERTIES-FILE}. */
    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            p.load(in);
        }
        try (SyncTarget src = get(p, "source").open(); SyncTarget dst = get(p, "destination").open()) {
            Sync.between(src, dst, SyncOptions.builder().stateDirectory(Path.of(p.getProperty("stateDirectory")))
                    .bandwidthLimit(Long.parseLong(p.getProperty("bytesPerSecond"))).build()).run();
        }
    }
}
