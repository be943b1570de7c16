package dev.ferry.core;

import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.ContentVerifier;
import dev.ferry.api.Hasher;
import dev.ferry.api.ModTimeSetter;
import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Decides whether a file on both sides is the same, by the run's {@link CompareMode}. */
final class FileComparator {

    /** The verdict for one pair of files. */
    enum Verdict { EQUAL, TOUCH, COPY_SIZE, COPY_MODTIME, COPY_HASH }

    private final SyncTarget source;
    private final SyncTarget destination;
    private final CompareMode mode;
    private final Duration window;
    private final boolean timesUsable;
    private final Optional<HashAlgorithm> commonHash;
    private final boolean canTouch;
    /** Which side verifies content, and how, when no hash is in common. */
    private final Optional<Verifier> verifier;

    private record Verifier(boolean onDestination, ContentVerifier check) {}

    FileComparator(SyncTarget source, SyncTarget destination, SyncOptions options) {
        this.source = source;
        this.destination = destination;
        Capabilities sc = source.capabilities();
        Capabilities dc = destination.capabilities();
        Duration coarser = sc.modTimePrecision().compareTo(dc.modTimePrecision()) >= 0
                ? sc.modTimePrecision() : dc.modTimePrecision();
        this.window = options.modifyWindow().orElse(coarser);
        this.timesUsable = sc.keepsModTime() && dc.keepsModTime();
        Set<HashAlgorithm> common = EnumSet.noneOf(HashAlgorithm.class);
        common.addAll(sc.hashes());
        common.retainAll(dc.hashes());
        // Enum order is the preference: MD5 is what most servers store.
        this.commonHash = common.stream().findFirst();
        CompareMode m = options.compare();
        // Without a hash in common, a side that can verify content itself (crypt) still compares by content.
        this.verifier = commonHash.isPresent() ? Optional.empty() : verifierOf(source, destination);
        if (m == CompareMode.CHECKSUM && commonHash.isEmpty() && verifier.isEmpty()) {
            m = CompareMode.SIZE_AND_MODTIME;
        }
        this.mode = m;
        this.canTouch = destination.ability(ModTimeSetter.class).isPresent() && dc.keepsModTime();
    }

    /** Whether both targets keep times, so a time can judge a file (a listing may still leave it out). */
    boolean timesUsable() {
        return timesUsable;
    }

    /** What the run compares by after fallbacks, for messages. */
    String describe() {
        return switch (mode) {
            case CHECKSUM -> commonHash.map(h -> "size and " + h + " hash")
                    .orElse("size and content (verified by " + (verifier.orElseThrow().onDestination() ? "destination" : "source") + ")");
            case SIZE_ONLY -> "size only";
            case SIZE_AND_MODTIME -> timesUsable ? "size and modification time (window " + window + ")"
                    : "size" + commonHash.map(h -> " and " + h + " hash where listed").orElse("")
                            + " (a target does not keep modification times)";
        };
    }

    /**
     * Compares one file present on both sides. May ask the targets for more (a stat, a hash):
     * only what this comparison needs.
     */
    Verdict compare(Entry src, Entry dst) throws IOException {
        if (src.size() != dst.size()) {
            return Verdict.COPY_SIZE;
        }
        switch (mode) {
            case SIZE_ONLY:
                return Verdict.EQUAL;
            case CHECKSUM:
                if (verifier.isPresent()) {
                    return verified(src, dst) ? Verdict.EQUAL : Verdict.COPY_HASH;
                }
                return hashesEqual(src, dst, true).orElse(true) ? Verdict.EQUAL : Verdict.COPY_HASH;
            default:
                break;
        }
        if (timesUsable) {
            // A listing may leave times out (object stores keep them in per-object metadata).
            src = withDetails(source, src);
            dst = withDetails(destination, dst);
        }
        Optional<Instant> st = src.modTime();
        Optional<Instant> dt = dst.modTime();
        if (!timesUsable || st.isEmpty() || dt.isEmpty()) {
            // Times mean nothing here; use a hash if both listings carry one, else trust the size.
            return hashesEqual(src, dst, false).orElse(true) ? Verdict.EQUAL : Verdict.COPY_HASH;
        }
        if (withinWindow(st.get(), dt.get(), src, dst)) {
            return Verdict.EQUAL;
        }
        // Same size, other time: a hash may show the content is the same, then only the time
        // moves. Only worth it when one side already listed its hash: hashing both sides reads
        // the file twice, where copying it reads it once (rsync copies here too).
        boolean cheap = commonHash.isPresent()
                && (src.hash(commonHash.get()).isPresent() || dst.hash(commonHash.get()).isPresent());
        Optional<Boolean> same = cheap ? hashesEqual(src, dst, true) : Optional.empty();
        if (same.isEmpty()) {
            return Verdict.COPY_MODTIME;
        }
        if (!same.get()) {
            return Verdict.COPY_HASH;
        }
        return canTouch ? Verdict.TOUCH : Verdict.EQUAL;
    }

    /**
     * Whether two files hold the same bytes, proven rather than guessed: by a hash in the common
     * algorithm (listed, or asked of the targets' hashers), else by reading both and comparing.
     * Size and time never suffice here.
     */
    boolean provenEqual(Entry src, Entry dst) throws IOException {
        if (src.size() != dst.size()) {
            return false;
        }
        Optional<Boolean> byHash = hashesEqual(src, dst, true);
        if (byHash.isPresent()) {
            return byHash.get();
        }
        try (InputStream x = source.open(src.path(), 0); InputStream y = destination.open(dst.path(), 0)) {
            byte[] bx = new byte[64 * 1024];
            byte[] by = new byte[64 * 1024];
            while (true) {
                int n = x.readNBytes(bx, 0, bx.length);
                int m = y.readNBytes(by, 0, n == 0 ? 1 : n);
                if (n != m || !java.util.Arrays.equals(bx, 0, n, by, 0, m)) {
                    return false;
                }
                if (n == 0) {
                    return true;
                }
            }
        }
    }

    private static Optional<Verifier> verifierOf(SyncTarget source, SyncTarget destination) {
        Optional<ContentVerifier> d = destination.ability(ContentVerifier.class);
        if (d.isPresent()) {
            return Optional.of(new Verifier(true, d.get()));
        }
        return source.ability(ContentVerifier.class).map(v -> new Verifier(false, v));
    }

    /** The verifying side checks its file against the other side's content. */
    private boolean verified(Entry src, Entry dst) throws IOException {
        boolean onDestination = verifier.orElseThrow().onDestination();
        SyncTarget other = onDestination ? source : destination;
        Entry plain = onDestination ? src : dst;
        try (InputStream in = other.open(plain.path(), 0)) {
            return verifier.get().check().holds(onDestination ? dst : src, in);
        }
    }

    /**
     * The entry as {@code stat} tells it when the listing gave no time (and the target keeps
     * times), else as listed.
     */
    static Entry withDetails(SyncTarget target, Entry listed) throws IOException {
        if (listed.modTime().isPresent() || !target.capabilities().keepsModTime()) {
            return listed;
        }
        return target.stat(listed.path()).filter(Entry::isFile).orElse(listed);
    }

    private boolean withinWindow(Instant a, Instant b, Entry src, Entry dst) {
        Duration w = window;
        if (src.modTimePrecision().compareTo(w) > 0) {
            w = src.modTimePrecision();
        }
        if (dst.modTimePrecision().compareTo(w) > 0) {
            w = dst.modTimePrecision();
        }
        Duration d = Duration.between(a, b).abs();
        return d.compareTo(w) < 0 || d.isZero();
    }

    /**
     * Compares hashes in the common algorithm. With {@code compute}, asks a {@link Hasher} where
     * the listing has none (may read the whole file); without, uses listed hashes only.
     * Empty when no comparison was possible.
     */
    private Optional<Boolean> hashesEqual(Entry src, Entry dst, boolean compute) throws IOException {
        if (commonHash.isEmpty()) {
            return Optional.empty();
        }
        HashAlgorithm alg = commonHash.get();
        Optional<String> a = hashOf(source, src, alg, compute);
        if (a.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> b = hashOf(destination, dst, alg, compute);
        return b.map(h -> h.equals(a.get()));
    }

    private static Optional<String> hashOf(SyncTarget target, Entry e, HashAlgorithm alg, boolean compute)
            throws IOException {
        Optional<String> listed = e.hash(alg);
        if (listed.isPresent() || !compute) {
            return listed;
        }
        Optional<Hasher> hasher = target.ability(Hasher.class);
        return hasher.isPresent() ? hasher.get().hash(e.path(), alg) : Optional.empty();
    }
}
