package dev.ferry.testkit;

import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;

/**
 * A read-mostly target whose tree is generated on the fly from a seed and an entry count, and
 * that stores nothing: for measuring the engine alone (planning, remembered state, memory) at
 * sizes no disk could hold, ten million files and more. For benchmarks and tests only; it is
 * not a backend and no provider registers it.
 *
 * <p>The tree: file {@code i} (0 &le; i &lt; {@code files}) is {@code a<i/10000>/b<(i/100)%100>/f<i%100>},
 * so 100 files per leaf directory and 100 leaf directories per top directory, like the bench's
 * small dataset. Its size (0 to 16 KiB) and whole-second mtime are pure functions of the seed
 * and {@code i}: two targets with the same seed list identical trees. Its content is
 * {@code size} zero bytes.
 *
 * <p>{@link #write} reads the content to its end and forgets it, answering with the entry as
 * if stored; {@link #delete} and {@link #makeDirectories} do nothing. A later listing still
 * shows the generated tree, so a run into it "changes" nothing there: use it as a destination
 * only for a run whose result is not listed again (a dry run, a no-op, a timed copy).
 */
public final class SyntheticTarget implements SyncTarget {

    /** Files per leaf directory and leaf directories per top directory. */
    static final int FANOUT = 100;
    private static final long BASE_SECONDS = 1_700_000_000L;

    private final long files;
    private final long seed;
    private final boolean listsModTimes;

    /**
     * @param files how many files the tree holds (0 for an empty tree)
     * @param seed what sizes and times are generated from
     * @param listsModTimes false to behave like an object store, whose listing leaves the
     *     times out (the engine then stats, or trusts what it remembers)
     */
    public SyntheticTarget(long files, long seed, boolean listsModTimes) {
        if (files < 0) {
            throw new IllegalArgumentException("files < 0: " + files);
        }
        this.files = files;
        this.seed = seed;
        this.listsModTimes = listsModTimes;
    }

    /**
     * Parses {@code synthetic:<files>?seed=<n>&listsModTimes=false} (seed 1 and listed times by
     * default), e.g. {@code synthetic:1000000}.
     *
     * @throws IllegalArgumentException naming the location if it is not of that form
     */
    public static SyntheticTarget parse(String location) {
        if (!location.startsWith("synthetic:")) {
            throw new IllegalArgumentException("not a synthetic: location: " + location);
        }
        String rest = location.substring("synthetic:".length());
        int q = rest.indexOf('?');
        long seed = 1;
        boolean lists = true;
        try {
            long n = Long.parseLong(q < 0 ? rest : rest.substring(0, q));
            if (q >= 0) {
                for (String kv : rest.substring(q + 1).split("&")) {
                    String[] p = kv.split("=", 2);
                    switch (p[0]) {
                        case "seed" -> seed = Long.parseLong(p[1]);
                        case "listsModTimes" -> lists = Boolean.parseBoolean(p[1]);
                        default -> throw new IllegalArgumentException("unknown option " + p[0]);
                    }
                }
            }
            return new SyntheticTarget(n, seed, lists);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad synthetic: location " + location + " (" + e.getMessage()
                    + "); expected synthetic:<files>?seed=<n>&listsModTimes=<bool>", e);
        }
    }

    /** How many files the tree holds. */
    public long files() {
        return files;
    }

    @Override
    public String description() {
        return "synthetic:" + files + "?seed=" + seed + "&listsModTimes=" + listsModTimes;
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().listsModTimes(listsModTimes).build();
    }

    @Override
    public void list(SyncPath directory, ListingSink sink) throws IOException {
        long[] where = locate(directory);
        if (where == null) {
            throw new NotFoundException("no such directory: " + directory);
        }
        switch ((int) where[0]) {
            case 0 -> {
                long tops = (files + (long) FANOUT * FANOUT - 1) / ((long) FANOUT * FANOUT);
                for (long a = 0; a < tops; a++) {
                    sink.entry(Entry.directory(SyncPath.ROOT.child("a" + a)).build());
                }
            }
            case 1 -> {
                long first = where[1] * FANOUT;
                for (long b = 0; b < FANOUT && (first + b) * FANOUT < files; b++) {
                    sink.entry(Entry.directory(directory.child("b" + b)).build());
                }
            }
            default -> {
                long first = (where[1] * FANOUT + where[2]) * FANOUT;
                for (long f = 0; f < FANOUT && first + f < files; f++) {
                    sink.entry(entry(directory.child("f" + f), first + f, listsModTimes));
                }
            }
        }
    }

    @Override
    public Optional<Entry> stat(SyncPath path) {
        if (locate(path) != null) {
            return Optional.of(Entry.directory(path).build());
        }
        long[] dir = locate(path.parent());
        long f = number(path.name(), 'f');
        if (dir == null || dir[0] != 2 || f < 0 || f >= FANOUT) {
            return Optional.empty();
        }
        long i = (dir[1] * FANOUT + dir[2]) * FANOUT + f;
        return i < files ? Optional.of(entry(path, i, true)) : Optional.empty();
    }

    @Override
    public InputStream open(SyncPath path, long offset) throws IOException {
        Entry e = stat(path).filter(Entry::isFile).orElseThrow(() -> new NotFoundException("no such file: " + path));
        return new ZeroStream(Math.max(0, e.size() - offset));
    }

    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        long n = content.transferTo(OutputStreamSink.INSTANCE);
        return Entry.file(path, n).modTime(hints.modTime().orElse(Instant.ofEpochSecond(BASE_SECONDS))).build();
    }

    @Override
    public void delete(SyncPath path) {
        // stores nothing
    }

    @Override
    public void makeDirectories(SyncPath directory) {
        // stores nothing
    }

    @Override
    public void close() {
        // holds nothing
    }

    /** File {@code i}'s entry: size and time from the seed. */
    private Entry entry(SyncPath path, long i, boolean withTime) {
        long h = mix(seed ^ mix(i));
        Entry.Builder b = Entry.file(path, (h >>> 1) % 16_385);
        if (withTime) {
            b.modTime(Instant.ofEpochSecond(BASE_SECONDS + (h >>> 40) % 10_000_000L));
        }
        return b.build();
    }

    /** {@code {depth, a, b}} of an existing directory, or null. */
    private long[] locate(SyncPath dir) {
        if (dir.isRoot()) {
            return new long[] {0, 0, 0};
        }
        String[] parts = dir.toString().split("/");
        if (parts.length > 2) {
            return null;
        }
        long a = number(parts[0], 'a');
        if (a < 0 || a * FANOUT * FANOUT >= files) {
            return null;
        }
        if (parts.length == 1) {
            return new long[] {1, a, 0};
        }
        long b = number(parts[1], 'b');
        if (b < 0 || b >= FANOUT || (a * FANOUT + b) * FANOUT >= files) {
            return null;
        }
        return new long[] {2, a, b};
    }

    /** The number after {@code prefix} in a generated name, or -1. */
    private static long number(String name, char prefix) {
        if (name.length() < 2 || name.charAt(0) != prefix) {
            return -1;
        }
        try {
            String digits = name.substring(1);
            return digits.startsWith("0") && digits.length() > 1 ? -1 : Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** SplitMix64's finalizer: a cheap, well-spread function of a long. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** {@code n} zero bytes. */
    private static final class ZeroStream extends InputStream {
        private long left;

        ZeroStream(long n) {
            this.left = n;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }

    /** Discards what is written. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
            // discarded
        }

        @Override
        public void write(byte[] b, int off, int len) {
            // discarded
        }
    }
}
