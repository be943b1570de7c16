package dev.ferry.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A seeded, deterministic schedule of network faults for a {@link FaultProxy}: after every gap of
 * relayed bytes (drawn between {@code minGap} and {@code maxGap}), one fault of a kind drawn from
 * the weighted kinds. A destructive fault (one that ends the connection) comes at least
 * {@code destructiveGap} bytes after the previous one; when one is drawn too early it becomes a
 * stall, so a backend that resumes in units of, say, 5 MiB can still get every unit through. The
 * same seed gives the same offsets and kinds; which connection carries a given offset depends on
 * how the client spreads its traffic.
 *
 * @param seed the random seed
 * @param minGap fewest bytes between two faults
 * @param maxGap most bytes between two faults
 * @param destructiveGap fewest bytes between two connection-ending faults
 * @param kinds the kinds to draw from, with repeats as weights
 * @param stall how long a stall holds a connection
 * @param slowRate bytes per second of a slowed connection
 * @param slowBytes how many bytes a slowed connection carries at that rate
 * @param refuseFor how long new connections are refused
 */
public record FaultPlan(long seed, long minGap, long maxGap, long destructiveGap, List<Fault> kinds, Duration stall,
        long slowRate, long slowBytes, Duration refuseFor) {

    /** What the proxy does to a connection when a fault falls due. */
    public enum Fault {
        /** Closes both sides after the bytes before the fault: a truncated request or response. */
        CUT(true),
        /** Resets both sides (RST): a dropped network. */
        RESET(true),
        /** Holds the connection still for a while, then goes on. */
        STALL(false),
        /** Slows the connection to a trickle for a while. */
        SLOW(false),
        /** Refuses new connections for a while (the current one goes on). */
        REFUSE(false);

        private final boolean destructive;

        Fault(boolean destructive) {
            this.destructive = destructive;
        }

        /** Whether this fault ends the connection it falls on. */
        public boolean destructive() {
            return destructive;
        }
    }

    /** Validates and copies. */
    public FaultPlan {
        if (minGap < 1 || maxGap < minGap || destructiveGap < 0) {
            throw new IllegalArgumentException("gaps must satisfy 1 <= minGap <= maxGap, destructiveGap >= 0");
        }
        kinds = List.copyOf(kinds);
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("no fault kinds");
        }
        Objects.requireNonNull(stall, "stall");
        Objects.requireNonNull(refuseFor, "refuseFor");
    }

    /**
     * Every kind, a fault every {@code minGap} to {@code maxGap} bytes, connection-ending ones at
     * least {@code destructiveGap} apart; 20 ms stalls, 2 MiB/s for 64 KiB, 100 ms refusals.
     */
    public static FaultPlan every(long seed, long minGap, long maxGap, long destructiveGap) {
        return new FaultPlan(seed, minGap, maxGap, destructiveGap,
                List.of(Fault.CUT, Fault.CUT, Fault.RESET, Fault.RESET, Fault.STALL, Fault.SLOW, Fault.REFUSE),
                Duration.ofMillis(20), 2L << 20, 64L << 10, Duration.ofMillis(100));
    }

    /** This plan with only these kinds (repeats are weights). */
    public FaultPlan withKinds(Fault... only) {
        return new FaultPlan(seed, minGap, maxGap, destructiveGap, List.of(only), stall, slowRate, slowBytes, refuseFor);
    }

    /** A scheduled fault: the relayed-byte offset it falls at, and its kind. */
    public record Scheduled(long offset, Fault fault) {}

    /** The running schedule: hands out faults in offset order. Not thread-safe: the proxy locks. */
    static final class Schedule {
        private final FaultPlan plan;
        private final SplittableRandom random;
        private long nextOffset;
        private long lastDestructive = Long.MIN_VALUE / 2;

        Schedule(FaultPlan plan) {
            this.plan = plan;
            this.random = new SplittableRandom(plan.seed());
            this.nextOffset = gap();
        }

        private long gap() {
            return plan.minGap() == plan.maxGap() ? plan.minGap() : random.nextLong(plan.minGap(), plan.maxGap() + 1);
        }

        FaultPlan plan() {
            return plan;
        }

        long nextOffset() {
            return nextOffset;
        }

        /** Takes the fault due at {@link #nextOffset()} and schedules the one after it. */
        Scheduled take() {
            Fault f = plan.kinds().get(random.nextInt(plan.kinds().size()));
            long at = nextOffset;
            if (f.destructive()) {
                if (at - lastDestructive < plan.destructiveGap()) {
                    f = Fault.STALL;
                } else {
                    lastDestructive = at;
                }
            }
            nextOffset = at + gap();
            return new Scheduled(at, f);
        }
    }

    /** The first {@code n} faults this plan schedules, for a test that shows determinism. */
    public List<Scheduled> preview(int n) {
        Schedule s = new Schedule(this);
        List<Scheduled> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(s.take());
        }
        return out;
    }
}
