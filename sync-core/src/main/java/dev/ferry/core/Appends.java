package dev.ferry.core;

import dev.ferry.api.Appender;
import dev.ferry.api.Entry;
import dev.ferry.api.SourceAwareWriter;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Append-only sync: planning an {@link SyncAction.AppendFile} where the destination holds what
 * looks like a prefix of the source, and carrying it out. A file's overlap is checked by reading
 * the destination's last bytes before its end and the source's at the same offset; a mismatch
 * (the file was rewritten, not grown) is copied whole. A feed's destination
 * ({@link SourceAwareWriter}) checks the overlap by its own rule (start time, interval, point
 * count) and a mismatch is that feed's error: a feed's history is never overwritten.
 */
final class Appends {

    private static final Logger LOG = LoggerFactory.getLogger(Appends.class);
    /** Bytes of the destination's end compared with the source before appending. */
    static final int OVERLAP = 64 * 1024;

    /** Copies a file whole (the executor's ordinary copy). */
    interface FullCopy {
        Entry copy(SyncAction.CopyFile c) throws IOException;
    }

    private final Function<SyncAction.Side, SyncTarget> on;
    private final Retrier retrier;
    private final RateLimiter limiter;
    private final SyncListener listener;
    private final LongConsumer appended;
    private final FullCopy fullCopy;

    Appends(Function<SyncAction.Side, SyncTarget> on, Retrier retrier, RateLimiter limiter, SyncListener listener,
            LongConsumer appended, FullCopy fullCopy) {
        this.on = on;
        this.retrier = retrier;
        this.limiter = limiter;
        this.listener = listener;
        this.appended = appended;
        this.fullCopy = fullCopy;
    }

    /**
     * The append for a source file that is longer than the destination's, if this run appends:
     * always where the destination is a {@link SourceAwareWriter} (a feed only grows), with
     * {@link SyncOptions#appendGrown()} where it is an {@link Appender}.
     */
    static Optional<SyncAction> grown(SyncTarget destination, SyncOptions options, Entry source, Entry dest) {
        if (dest.size() >= source.size()) {
            return Optional.empty();
        }
        boolean feed = destination.ability(SourceAwareWriter.class).isPresent();
        boolean file = options.appendGrown() && destination.ability(Appender.class).isPresent();
        return feed || file ? Optional.of(new SyncAction.AppendFile(source, dest)) : Optional.empty();
    }

    /**
     * A whole copy's write: through the destination's {@link SourceAwareWriter} where it has one
     * (a feed must know the source's layout), else the plain write.
     */
    static Entry write(SyncTarget to, Entry source, InputStream content, dev.ferry.api.WriteHints hints) throws IOException {
        Optional<SourceAwareWriter> feed = to.ability(SourceAwareWriter.class);
        return feed.isPresent() ? feed.get().write(source.path(), source, content, hints) : to.write(source.path(), content, hints);
    }

    /** Carries out one append; returns the destination's entry afterwards. */
    Entry append(SyncAction.AppendFile a) throws IOException {
        SyncTarget from = on.apply(a.side().other());
        SyncTarget to = on.apply(a.side());
        SyncPath path = a.path();
        Optional<SourceAwareWriter> feed = to.ability(SourceAwareWriter.class);
        if (feed.isPresent()) {
            return retrier.call("append " + path, () -> {
                long at = resumePoint(to, a);
                return send(from, a, at, in -> feed.get().append(path, a.source(), at, in));
            });
        }
        Optional<Appender> appender = to.ability(Appender.class);
        if (appender.isEmpty() || !overlapMatches(from, to, a)) {
            LOG.info("{}: the destination is not a prefix of the source (rewritten, not grown): copying it whole", path);
            return fullCopy.copy(new SyncAction.CopyFile(a.source(), Optional.of(a.destination()), SyncAction.Reason.SIZE_DIFFERS,
                    a.side()));
        }
        Entry done = retrier.call("append " + path, () -> {
            long at = resumePoint(to, a);
            return send(from, a, at, in -> appender.get().append(path, at, in));
        });
        // As a copy keeps the source's time, so does an append: else the next run sees a changed time.
        Optional<dev.ferry.api.ModTimeSetter> setter = to.ability(dev.ferry.api.ModTimeSetter.class);
        if (a.source().modTime().isPresent() && setter.isPresent() && to.capabilities().keepsModTime()) {
            done = retrier.call("set time " + path, () -> setter.get().setModTime(path, a.source().modTime().get()));
        }
        return done;
    }

    /**
     * Where this attempt starts: the planned offset, or, after an attempt that failed part-way,
     * what the destination holds now if that is between the planned start and end (the rest
     * goes; the target's own precondition refuses anything else).
     */
    private static long resumePoint(SyncTarget to, SyncAction.AppendFile a) throws IOException {
        Optional<Entry> now = to.stat(a.path());
        if (now.isPresent() && now.get().isFile() && now.get().size() > a.from() && now.get().size() <= a.to()) {
            return now.get().size();
        }
        return a.from();
    }

    private interface Sink {
        Entry take(InputStream in) throws IOException;
    }

    private Entry send(SyncTarget from, SyncAction.AppendFile a, long at, Sink sink) throws IOException {
        long length = a.to() - at;
        if (length == 0) {
            return to(a).stat(a.path()).orElseThrow();
        }
        AtomicLong sent = new AtomicLong();
        Entry written;
        try (InputStream raw = from.open(a.path(), at)) {
            // Only up to the listed size: a log that grows meanwhile sends the rest next run.
            TransferStream in = new TransferStream(new Bounded(raw, length), a.path().toString(), length, Set.of(), limiter, n -> {
                sent.addAndGet(n);
                listener.transferred(a, n);
            });
            written = sink.take(in);
        } catch (IOException | RuntimeException e) {
            listener.transferred(a, -sent.get());
            throw e;
        }
        appended.accept(sent.get());
        return written;
    }

    private SyncTarget to(SyncAction.AppendFile a) {
        return on.apply(a.side());
    }

    /** Whether the destination's last bytes (up to {@link #OVERLAP}) are the source's at the same offset. */
    private boolean overlapMatches(SyncTarget from, SyncTarget to, SyncAction.AppendFile a) throws IOException {
        long end = a.from();
        int n = (int) Math.min(OVERLAP, end);
        if (n == 0) {
            return true;
        }
        byte[] theirs;
        byte[] ours;
        try (InputStream d = to.open(a.path(), end - n); InputStream s = from.open(a.path(), end - n)) {
            theirs = d.readNBytes(n);
            ours = s.readNBytes(n);
        }
        return theirs.length == n && Arrays.equals(theirs, ours);
    }

    /** At most {@code limit} bytes of a stream, then its end. */
    private static final class Bounded extends java.io.FilterInputStream {
        private long left;

        Bounded(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) {
            throw new UnsupportedOperationException("skip");
        }
    }
}
