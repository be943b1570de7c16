package dev.ferry.backend.support;

import java.util.Objects;

/**
 * A value a target measures on first use (how precisely its file system keeps times, what a
 * server accepts) and keeps once the measurement settles the question. A probe that cannot tell
 * yet (the root does not exist, so there is nowhere to write a probe file) answers with its best
 * guess, which is returned but not kept: the next call probes again. Thread-safe; one probe runs
 * at a time.
 *
 * @param <T> the measured value
 */
public final class Probed<T> {

    /**
     * What one probe found.
     *
     * @param value the answer
     * @param conclusive whether it is kept for good
     */
    public record Outcome<T>(T value, boolean conclusive) {

        /** Validates. */
        public Outcome {
            Objects.requireNonNull(value, "value");
        }

        /** A measured answer, kept. */
        public static <T> Outcome<T> measured(T value) {
            return new Outcome<>(value, true);
        }

        /** A best guess, returned this time and probed again next time. */
        public static <T> Outcome<T> guessed(T value) {
            return new Outcome<>(value, false);
        }
    }

    /** Runs one measurement. */
    public interface Probe<T> {
        Outcome<T> run();
    }

    private final Probe<T> probe;
    private volatile T kept;

    /** A value measured by {@code probe} when first asked for. */
    public Probed(Probe<T> probe) {
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    /** The kept answer, or a fresh probe's. */
    public T get() {
        T v = kept;
        if (v != null) {
            return v;
        }
        synchronized (this) {
            if (kept != null) {
                return kept;
            }
            Outcome<T> o = probe.run();
            if (o.conclusive()) {
                kept = o.value();
            }
            return o.value();
        }
    }
}
