package dev.ferry.cli;

import dev.ferry.core.SyncTargets;

import dev.ferry.api.ListingNotice;
import dev.ferry.core.SyncAction;
import dev.ferry.core.SyncFailure;
import dev.ferry.core.SyncListener;
import dev.ferry.core.SyncPlan;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows a run's progress on stderr. On a terminal: a block redrawn in place five times a second,
 * a bar for the bytes with rate and ETA, the files done of the total (counted as each file
 * finishes), and one line per transfer in flight with its name and its own progress. Elsewhere:
 * a plain line every {@code --stats} interval (5 s by default) while something changes. With
 * {@code -v}, one line per finished action. Engine callbacks only bump counters; a daemon thread
 * does the drawing.
 */
final class Progress implements SyncListener, AutoCloseable {

    /** How often plain progress lines come by default. */
    static final Duration DEFAULT_STATS = Duration.ofSeconds(5);

    private static final long TERMINAL_TICK_MS = 200;
    private static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int BAR_WIDTH = 30;
    private static final int MAX_IN_FLIGHT_LINES = 8;

    private final PrintStream err;
    private final PrintStream lines;
    private final boolean terminal;
    private final boolean verbose;
    private final boolean quiet;
    private final int columns;
    private final long plainEveryNanos;
    private final RunFacts facts;
    private final Object lock = new Object();

    private final AtomicLong scanned = new AtomicLong();
    private final AtomicLong filesDone = new AtomicLong();
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile long filesTotal = -1;
    private volatile long bytesTotal;
    private volatile long transferStartNanos;

    /** Copies in flight, in the order they started: bytes through so far, of their size. */
    private final Map<SyncAction, InFlight> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong startOrder = new AtomicLong();

    private record InFlight(long order, long size, AtomicLong done) {}

    private final long startNanos = System.nanoTime();
    private long lastPlainNanos = startNanos;
    private String lastPlain = "";
    /** Lines of the block now on screen (0: nothing drawn). */
    private int shownLines;

    // Rate over a sliding window: ring of samples taken at each tick.
    private final long[] sampleNanos = new long[64];
    private final long[] sampleBytes = new long[64];
    private int samples;
    private int head;

    private final ScheduledExecutorService ticker;

    /** With the default plain-line interval and facts nobody reads (tests). */
    Progress(CliEnv env, boolean verbose, boolean quiet, boolean linesToStderr) {
        this(env, verbose, quiet, linesToStderr, DEFAULT_STATS, new RunFacts());
    }

    /**
     * @param env where to write
     * @param linesToStderr whether {@code -v} lines go to stderr (when stdout carries JSON)
     * @param statsEvery how often a plain line comes when no terminal is attached; {@code null} for never
     * @param facts where conflicts, moves and skipped names are counted for the summary
     */
    Progress(CliEnv env, boolean verbose, boolean quiet, boolean linesToStderr, Duration statsEvery, RunFacts facts) {
        this.err = env.err();
        this.lines = linesToStderr ? env.err() : env.out();
        this.terminal = env.terminal() && !quiet;
        this.verbose = verbose && !quiet;
        this.quiet = quiet;
        this.columns = env.columns();
        this.facts = facts;
        this.plainEveryNanos = statsEvery == null ? Long.MAX_VALUE : Math.max(1, statsEvery.toNanos());
        if (quiet || !terminal && statsEvery == null) {
            ticker = null;
        } else {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ferry-progress");
                t.setDaemon(true);
                return t;
            });
            long tick = terminal ? TERMINAL_TICK_MS : Math.max(50, Math.min(1000, statsEvery.toMillis() / 2));
            ticker.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void scanProgress(long entriesSeen) {
        scanned.set(entriesSeen);
    }

    @Override
    public void notice(ListingNotice notice) {
        facts.notice(notice);
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
        facts.planned(plan);
        twoWay = plan.mode() == dev.ferry.core.SyncMode.TWO_WAY;
        bytesTotal = plan.bytesToCopy();
        transferStartNanos = System.nanoTime();
        filesTotal = plan.filesToCopy();
    }

    @Override
    public void started(SyncAction action) {
        if (action instanceof SyncAction.CopyFile c) {
            inFlight.put(action, new InFlight(startOrder.incrementAndGet(), c.source().size(), new AtomicLong()));
        }
    }

    @Override
    public void transferred(SyncAction action, long bytes) {
        bytesDone.addAndGet(bytes);
        InFlight f = inFlight.get(action);
        if (f != null) {
            f.done().addAndGet(bytes);
        }
    }

    @Override
    public void finished(SyncAction action) {
        inFlight.remove(action);
        facts.finished(action);
        if (action.kind() == SyncAction.Kind.COPY) {
            filesDone.incrementAndGet();
        }
        if (verbose) {
            printLine(lines, Plans.done(action, twoWay));
        }
    }

    @Override
    public void failed(SyncAction action, SyncFailure failure) {
        inFlight.remove(action);
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

    /** Stops drawing and clears the block. */
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
            clearBlock();
            err.flush();
        }
    }

    private void printLine(PrintStream stream, String line) {
        synchronized (lock) {
            clearBlock();
            stream.println(line);
            stream.flush();
        }
    }

    /** Takes the drawn block off the screen: to its first line, then erase to the end of the screen. */
    private void clearBlock() {
        if (shownLines > 0) {
            err.print((shownLines > 1 ? "\033[" + (shownLines - 1) + "A" : "") + "\r\033[J");
            shownLines = 0;
        }
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            synchronized (lock) {
                if (terminal) {
                    List<String> block = screen(now);
                    StringBuilder b = new StringBuilder();
                    if (shownLines > 1) {
                        b.append("\033[").append(shownLines - 1).append('A');
                    }
                    b.append('\r');
                    for (int i = 0; i < block.size(); i++) {
                        String line = block.get(i);
                        b.append(line.length() >= columns ? line.substring(0, columns - 1) : line).append("\033[K");
                        if (i < block.size() - 1) {
                            b.append('\n');
                        }
                    }
                    b.append("\033[J"); // a longer block before leaves nothing behind
                    err.print(b);
                    err.flush();
                    shownLines = block.size();
                } else {
                    String status = status(now);
                    if (now - lastPlainNanos >= plainEveryNanos && !status.equals(lastPlain)) {
                        err.println("ferry: " + status + inFlightSummary());
                        err.flush();
                        lastPlainNanos = now;
                        lastPlain = status;
                    }
                }
            }
        } catch (RuntimeException e) {
            // Never let drawing break a run.
        }
    }

    /**
     * The terminal block: a bar with bytes, rate and ETA; files done of the total; a line per
     * transfer in flight. While scanning, one line.
     */
    List<String> screen(long now) {
        List<String> block = new ArrayList<>();
        long total = filesTotal;
        if (total < 0) {
            block.add("Scanning: " + scanned.get() + " entries, "
                    + Format.duration(Duration.ofNanos(now - startNanos)));
            return block;
        }
        long bytes = bytesDone.get();
        long bTotal = bytesTotal;
        double rate = rate(now, bytes);
        int percent = bTotal > 0 ? (int) Math.min(100, bytes * 100 / bTotal) : total == filesDone.get() ? 100 : 0;
        block.add(bar(percent, BAR_WIDTH) + String.format(java.util.Locale.ROOT, " %3d%%  ", percent)
                + Format.bytes(bytes) + " / " + Format.bytes(bTotal) + "  " + Format.rate(rate)
                + "  ETA " + eta(rate, bTotal - bytes));
        List<Map.Entry<SyncAction, InFlight>> flying = new ArrayList<>(inFlight.entrySet());
        flying.sort(java.util.Comparator.comparingLong(e -> e.getValue().order()));
        StringBuilder files = new StringBuilder("Files: ").append(filesDone.get()).append('/').append(total)
                .append(" done, ").append(flying.size()).append(" in flight");
        long f = failed.get();
        if (f > 0) {
            files.append(", ").append(f).append(" failed");
        }
        files.append("; elapsed ").append(Format.duration(Duration.ofNanos(now - startNanos)));
        block.add(files.toString());
        int shown = 0;
        for (Map.Entry<SyncAction, InFlight> e : flying) {
            if (shown++ == MAX_IN_FLIGHT_LINES) {
                block.add("  … and " + (flying.size() - MAX_IN_FLIGHT_LINES) + " more");
                break;
            }
            InFlight x = e.getValue();
            long done = Math.max(0, x.done().get());
            int p = x.size() > 0 ? (int) Math.min(100, done * 100 / x.size()) : 0;
            String name = Format.safe(e.getKey().path().toString());
            String tail = String.format(java.util.Locale.ROOT, " %3d%% ", p) + bar(p, 10) + " "
                    + Format.bytes(done) + " / " + Format.bytes(x.size());
            int room = Math.max(10, columns - 4 - tail.length());
            if (name.length() > room) {
                name = "…" + name.substring(name.length() - room + 1);
            }
            block.add("  " + name + tail);
        }
        return block;
    }

    private static String bar(int percent, int width) {
        int full = percent * width / 100;
        StringBuilder b = new StringBuilder(width + 2).append('[');
        for (int i = 0; i < width; i++) {
            b.append(i < full ? '#' : i == full && percent < 100 ? '>' : '.');
        }
        return b.append(']').toString();
    }

    private static String eta(double rate, long left) {
        return rate > 0 && left > 0 ? Format.eta((long) Math.ceil(left / rate)) : "-";
    }

    /** For plain lines: the transfers in flight, {@code ; in flight: a.bin 40%, b.bin 3%}. */
    private String inFlightSummary() {
        List<Map.Entry<SyncAction, InFlight>> flying = new ArrayList<>(inFlight.entrySet());
        if (flying.isEmpty()) {
            return "";
        }
        flying.sort(java.util.Comparator.comparingLong(e -> e.getValue().order()));
        StringBuilder b = new StringBuilder("; in flight: ");
        int n = 0;
        for (Map.Entry<SyncAction, InFlight> e : flying) {
            if (n++ == MAX_IN_FLIGHT_LINES) {
                b.append(", …");
                break;
            }
            InFlight x = e.getValue();
            long p = x.size() > 0 ? Math.min(100, Math.max(0, x.done().get()) * 100 / x.size()) : 0;
            b.append(n > 1 ? ", " : "").append(Format.safe(e.getKey().path().toString()))
                    .append(' ').append(p).append('%');
        }
        return b.toString();
    }

    /** The plain status text, e.g. {@code 3/10 files, 12.0 MiB/40.0 MiB (30%), 5.2 MiB/s, ETA 6s}. */
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
        b.append(", ").append(Format.rate(rate)).append(", ETA ").append(eta(rate, bTotal - bytes));
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
