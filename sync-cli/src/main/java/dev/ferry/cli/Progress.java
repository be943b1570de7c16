package dev.ferry.cli;

import dev.ferry.core.SyncTargets;

import dev.ferry.api.ListingNotice;
import dev.ferry.core.SyncAction;
import dev.ferry.core.SyncFailure;
import dev.ferry.core.SyncListener;
import dev.ferry.core.SyncPlan;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows a run's progress. On a terminal: one status line on stderr, redrawn in place at most five
 * times a second (files and bytes done of the total, rate, ETA). Elsewhere: a plain line on stderr
 * every 10 seconds at most. With {@code -v}, one line per finished action. Engine callbacks only
 * bump counters; a daemon thread does the drawing.
 */
final class Progress implements SyncListener, AutoCloseable {

    private static final long TERMINAL_TICK_MS = 200;
    private static final long PLAIN_TICK_MS = 1000;
    private static final long PLAIN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final PrintStream err;
    private final PrintStream lines;
    private final boolean terminal;
    private final boolean verbose;
    private final boolean quiet;
    private final int columns;
    private final Object lock = new Object();

    private final AtomicLong scanned = new AtomicLong();
    private final AtomicLong filesDone = new AtomicLong();
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile long filesTotal = -1;
    private volatile long bytesTotal;
    private volatile long transferStartNanos;

    private final long startNanos = System.nanoTime();
    private long lastPlainNanos = startNanos;
    private String lastPlain = "";
    private boolean statusShown;

    // Rate over a sliding window: ring of samples taken at each tick.
    private final long[] sampleNanos = new long[64];
    private final long[] sampleBytes = new long[64];
    private int samples;
    private int head;

    private final ScheduledExecutorService ticker;

    /**
     * @param env where to write
     * @param linesToStderr whether {@code -v} lines go to stderr (when stdout carries JSON)
     */
    Progress(CliEnv env, boolean verbose, boolean quiet, boolean linesToStderr) {
        this.err = env.err();
        this.lines = linesToStderr ? env.err() : env.out();
        this.terminal = env.terminal() && !quiet;
        this.verbose = verbose && !quiet;
        this.quiet = quiet;
        this.columns = env.columns();
        if (quiet) {
            ticker = null;
        } else {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ferry-progress");
                t.setDaemon(true);
                return t;
            });
            long tick = terminal ? TERMINAL_TICK_MS : PLAIN_TICK_MS;
            ticker.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void scanProgress(long entriesSeen) {
        scanned.set(entriesSeen);
    }

    @Override
    public void notice(ListingNotice notice) {
        if (quiet || !notice.reason().isError() && !verbose) {
            return;
        }
        String kind = notice.reason().isError() ? "error" : "notice";
        printLine(err, "ferry: " + kind + ": " + Format.safe(notice.location()) + ": " + Format.safe(notice.detail()));
    }

    /** Whether the plan being run goes both ways: lines then say which side changes. */
    private volatile boolean twoWay;

    @Override
    public void planned(SyncPlan plan) {
        twoWay = plan.mode() == dev.ferry.core.SyncMode.TWO_WAY;
        bytesTotal = plan.bytesToCopy();
        transferStartNanos = System.nanoTime();
        filesTotal = plan.filesToCopy();
    }

    @Override
    public void transferred(SyncAction action, long bytes) {
        bytesDone.addAndGet(bytes);
    }

    @Override
    public void finished(SyncAction action) {
        if (action.kind() == SyncAction.Kind.COPY) {
            filesDone.incrementAndGet();
        }
        if (verbose) {
            printLine(lines, Plans.done(action, twoWay));
        }
    }

    @Override
    public void failed(SyncAction action, SyncFailure failure) {
        failed.incrementAndGet();
        if (verbose) {
            printLine(err, "ferry: failed: " + Format.safe(failure.toString()));
        }
    }

    @Override
    public void retrying(String operation, int attempt, Duration delay, Exception cause) {
        if (verbose) {
            printLine(err, "ferry: retrying " + Format.safe(operation) + " (attempt " + (attempt + 1) + ") in "
                    + Format.duration(delay) + ": " + Format.safe(SyncTargets.redact(String.valueOf(cause.getMessage()))));
        }
    }

    /** Stops drawing and clears the status line. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            try {
                ticker.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lock) {
            clearStatus();
            err.flush();
        }
    }

    private void printLine(PrintStream stream, String line) {
        synchronized (lock) {
            clearStatus();
            stream.println(line);
            stream.flush();
        }
    }

    private void clearStatus() {
        if (statusShown) {
            err.print("\r\033[K");
            statusShown = false;
        }
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            String status = status(now);
            synchronized (lock) {
                if (terminal) {
                    String line = status.length() >= columns ? status.substring(0, columns - 1) : status;
                    err.print("\r" + line + "\033[K");
                    err.flush();
                    statusShown = true;
                } else if (now - lastPlainNanos >= PLAIN_EVERY_NANOS && !status.equals(lastPlain)) {
                    err.println("ferry: " + status);
                    err.flush();
                    lastPlainNanos = now;
                    lastPlain = status;
                }
            }
        } catch (RuntimeException e) {
            // Never let drawing break a run.
        }
    }

    /** The status text, e.g. {@code 3/10 files, 12.0 MiB/40.0 MiB (30%), 5.2 MiB/s, ETA 6s}. */
    String status(long now) {
        long total = filesTotal;
        if (total < 0) {
            return "scanning: " + scanned.get() + " entries, " + Format.duration(Duration.ofNanos(now - startNanos));
        }
        long bytes = bytesDone.get();
        long bTotal = bytesTotal;
        double rate = rate(now, bytes);
        StringBuilder b = new StringBuilder();
        b.append(filesDone.get()).append('/').append(total).append(" files, ")
                .append(Format.bytes(bytes)).append('/').append(Format.bytes(bTotal));
        if (bTotal > 0) {
            b.append(" (").append(Math.min(100, bytes * 100 / bTotal)).append("%)");
        }
        b.append(", ").append(Format.rate(rate));
        if (rate > 0 && bTotal > bytes) {
            b.append(", ETA ").append(Format.eta((long) Math.ceil((bTotal - bytes) / rate)));
        } else {
            b.append(", ETA -");
        }
        long f = failed.get();
        if (f > 0) {
            b.append(", ").append(f).append(" failed");
        }
        return b.toString();
    }

    private double rate(long now, long bytes) {
        synchronized (sampleNanos) {
            sampleNanos[head] = now;
            sampleBytes[head] = bytes;
            head = (head + 1) % sampleNanos.length;
            samples = Math.min(samples + 1, sampleNanos.length);
            // Oldest sample within the window (or the start of the transfer phase).
            long refNanos = transferStartNanos;
            long refBytes = 0;
            for (int i = 1; i <= samples; i++) {
                int idx = Math.floorMod(head - i, sampleNanos.length);
                if (now - sampleNanos[idx] > RATE_WINDOW_NANOS) {
                    break;
                }
                refNanos = sampleNanos[idx];
                refBytes = sampleBytes[idx];
            }
            if (refNanos == now) {
                refNanos = transferStartNanos;
                refBytes = 0;
            }
            double seconds = (now - refNanos) / 1e9;
            return seconds <= 0 ? 0 : (bytes - refBytes) / seconds;
        }
    }
}
