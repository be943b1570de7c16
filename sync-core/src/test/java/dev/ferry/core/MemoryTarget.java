package dev.ferry.core;

import dev.ferry.api.Capabilities;
import dev.ferry.api.ConditionalDeleter;
import dev.ferry.api.DescribedReader;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.Hasher;
import dev.ferry.api.ListingSink;
import dev.ferry.api.ModTimeSetter;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory target for engine tests, with hooks to inject the faults a local disk cannot
 * produce when the tests run as root (unreadable files, transient errors, lying servers).
 */
class MemoryTarget implements SyncTarget, ModTimeSetter, Hasher, DescribedReader, ConditionalDeleter {

    /** A fault: thrown by the operation on a path, a number of times. */
    interface Fault {
        IOException create(String op, SyncPath path);
    }

    record Node(boolean dir, byte[] data, Instant mtime) {}

    final ConcurrentSkipListMap<SyncPath, Node> nodes = new ConcurrentSkipListMap<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> faultCounts = new ConcurrentHashMap<>();
    final AtomicInteger writes = new AtomicInteger();
    private final String name;
    Capabilities capabilities = Capabilities.builder().hashes(java.util.Set.of(HashAlgorithm.MD5)).build();
    boolean exists = true;
    /** Whether listings carry each file's MD5, as an object store's ETag does. */
    boolean listsHashes;
    /**
     * Whether this is a server that keeps no times (plain WebDAV): each write is stamped with
     * the time it arrived and a new ETag, whatever the hints say.
     */
    boolean stampsWrites;
    /**
     * Whether this is an object store that keeps times in per-object metadata: listings leave
     * them out (only stat and described reads give them), and the ETag is the content's MD5.
     */
    boolean hidesTimes;
    final AtomicInteger stats = new AtomicInteger();
    /** Runs inside every write, after the content was read and before it is published. */
    volatile Runnable beforePublish;
    /** Whether this target offers {@link ConditionalDeleter} (as local disk does; S3Proxy does not). */
    volatile boolean conditionalDeletes = true;
    /** Runs inside every delete, before the file is looked at and removed. */
    volatile Runnable beforeDelete;
    /** The precondition of every write, in order. */
    final java.util.List<WriteHints.Precondition> preconditions = new java.util.concurrent.CopyOnWriteArrayList<>();
    /**
     * Names this target cannot spell (as a JVM under the POSIX locale cannot spell {@code café}):
     * listed as an {@code UNREPRESENTABLE_NAME} notice, never as an entry.
     */
    final java.util.Set<String> unspellable = ConcurrentHashMap.newKeySet();
    final AtomicInteger describedReads = new AtomicInteger();
    private final Map<SyncPath, String> etags = new ConcurrentHashMap<>();
    private final AtomicInteger etagCounter = new AtomicInteger();

    MemoryTarget(String name) {
        this.name = name;
    }

    MemoryTarget file(String path, String content, Instant mtime) {
        SyncPath p = SyncPath.of(path);
        mkdirs(p.parent());
        nodes.put(p, new Node(false, content.getBytes(StandardCharsets.UTF_8), mtime));
        return this;
    }

    MemoryTarget dir(String path) {
        mkdirs(SyncPath.of(path));
        return this;
    }

    String content(String path) {
        Node n = nodes.get(SyncPath.of(path));
        return n == null || n.dir ? null : new String(n.data, StandardCharsets.UTF_8);
    }

    Instant mtime(String path) {
        return nodes.get(SyncPath.of(path)).mtime;
    }

    /** Makes {@code op} ("list", "open", "write", "delete", "mkdir", "touch") on {@code path} fail {@code times} times. */
    void fail(String op, String path, int times, Fault fault) {
        faults.put(op + ":" + path, fault);
        faultCounts.put(op + ":" + path, new AtomicInteger(times));
    }

    /** The process "dies" here: an Error nothing in the engine may swallow. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash() {
            super("simulated crash");
        }
    }

    /** If set, shared by both sides: the changing operation that brings it to -1 crashes instead. */
    java.util.concurrent.atomic.AtomicInteger crashCountdown;

    private void check(String op, SyncPath path) throws IOException {
        if (crashCountdown != null && !op.equals("list") && !op.equals("open")
                && crashCountdown.getAndDecrement() == 0) {
            throw new Crash();
        }
        String key = op + ":" + path;
        Fault f = faults.get(key);
        if (f != null && faultCounts.get(key).getAndDecrement() > 0) {
            throw f.create(op, path);
        }
    }

    private void mkdirs(SyncPath p) {
        exists = true;
        for (SyncPath q = p; !q.isRoot(); q = q.parent()) {
            nodes.putIfAbsent(q, new Node(true, null, Instant.EPOCH));
        }
    }

    @Override
    public String description() {
        return "memory://" + name;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public void list(SyncPath directory, ListingSink sink) throws IOException {
        check("list", directory);
        if (directory.isRoot() ? !exists : !(nodes.containsKey(directory) && nodes.get(directory).dir)) {
            throw new NotFoundException("no directory " + directory);
        }
        for (Map.Entry<SyncPath, Node> e : nodes.entrySet()) {
            if (!e.getKey().parent().equals(directory) || e.getKey().isRoot()) {
                continue;
            }
            if (unspellable.contains(e.getKey().name())) {
                sink.notice(dev.ferry.api.ListingNotice.unrepresentableName(directory,
                        e.getKey().name().replaceAll("[^\\x00-\\x7f]", "\uFFFD"), "cannot be spelled here"));
                continue;
            }
            Entry full = toEntry(e.getKey(), e.getValue());
            if (hidesTimes && full.isFile()) {
                full = Entry.file(full.path(), full.size()).version(full.version().orElseThrow()).build();
            }
            sink.entry(full);
        }
    }

    Entry toEntry(SyncPath p, Node n) {
        if (n.dir) {
            return Entry.directory(p).build();
        }
        String etag = hidesTimes ? "\"" + HashAlgorithm.hex(HashAlgorithm.MD5.newDigest().digest(n.data)) + "\""
                : etags.get(p);
        Entry.Builder b = Entry.file(p, n.data.length).modTime(n.mtime).version(etag);
        if (listsHashes) {
            b.hash(HashAlgorithm.MD5, HashAlgorithm.hex(HashAlgorithm.MD5.newDigest().digest(n.data)));
        }
        return b.build();
    }

    @Override
    public Optional<Entry> stat(SyncPath path) {
        stats.incrementAndGet();
        Node n = nodes.get(path);
        return n == null ? Optional.empty() : Optional.of(toEntry(path, n));
    }

    @Override
    public InputStream open(SyncPath path, long offset) throws IOException {
        check("open", path);
        Node n = nodes.get(path);
        if (n == null || n.dir) {
            throw new NotFoundException("no file " + path);
        }
        return new ByteArrayInputStream(n.data, (int) offset, n.data.length - (int) offset);
    }

    @Override
    public Read openDescribed(SyncPath path, long offset) throws IOException {
        describedReads.incrementAndGet();
        InputStream in = open(path, offset);
        return new Read(toEntry(path, nodes.get(path)), in);
    }

    @Override
    public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
        check("write", path);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        content.transferTo(buf); // a failing stream leaves nothing: we publish only at the end
        byte[] data = buf.toByteArray();
        if (hints.size() >= 0 && hints.size() != data.length) {
            throw new PermanentSyncException("size mismatch");
        }
        Runnable hook = beforePublish;
        if (hook != null) {
            hook.run(); // someone writes the path while our content was on its way
        }
        Node old = nodes.get(path);
        if (old != null && old.dir) {
            throw new PermanentSyncException("a directory is in the way: " + path);
        }
        preconditions.add(hints.precondition());
        Optional<Entry> now = old == null ? Optional.empty() : Optional.of(toEntry(path, old));
        if (!hints.precondition().matches(now)) {
            throw new dev.ferry.api.PreconditionFailedException(path + " changed while it was written; kept as it is");
        }
        mkdirs(path.parent());
        if (stampsWrites) {
            nodes.put(path, new Node(false, data, Instant.now()));
            etags.put(path, "\"etag-" + etagCounter.incrementAndGet() + "\"");
        } else {
            nodes.put(path, new Node(false, data, hints.modTime().orElse(Instant.now())));
        }
        writes.incrementAndGet();
        return toEntry(path, nodes.get(path));
    }

    @Override
    public void delete(SyncPath path) throws IOException {
        Node n = startDelete(path);
        if (n == null) {
            return;
        }
        if (n.dir && nodes.keySet().stream().anyMatch(k -> !k.equals(path) && path.contains(k))) {
            throw new PermanentSyncException("directory not empty: " + path);
        }
        nodes.remove(path);
        etags.remove(path);
    }

    /** A delete's faults and hook; then what is at {@code path}. */
    private Node startDelete(SyncPath path) throws IOException {
        check("delete", path);
        Runnable hook = beforeDelete;
        if (hook != null) {
            hook.run();
        }
        return nodes.get(path);
    }

    /** Checks and removes in one step: the map removes the node only if it is still the one compared. */
    @Override
    public void deleteIf(SyncPath path, WriteHints.Precondition precondition) throws IOException {
        Node n = startDelete(path);
        if (n == null) {
            return;
        }
        if (!precondition.matches(Optional.of(toEntry(path, n))) || !nodes.remove(path, n)) {
            throw new dev.ferry.api.PreconditionFailedException(path + " changed since it was listed; not deleted");
        }
        etags.remove(path);
    }

    @Override
    public <T> Optional<T> ability(Class<T> type) {
        if (type == ConditionalDeleter.class && !conditionalDeletes) {
            return Optional.empty();
        }
        return SyncTarget.super.ability(type);
    }

    @Override
    public void makeDirectories(SyncPath directory) throws IOException {
        check("mkdir", directory);
        mkdirs(directory);
    }

    @Override
    public Entry setModTime(SyncPath path, Instant modTime) throws IOException {
        check("touch", path);
        Node n = nodes.get(path);
        nodes.put(path, new Node(false, n.data, modTime));
        return toEntry(path, nodes.get(path));
    }

    @Override
    public Optional<String> hash(SyncPath path, HashAlgorithm algorithm) throws IOException {
        Node n = nodes.get(path);
        if (n == null || n.dir) {
            throw new NotFoundException("no file " + path);
        }
        var d = algorithm.newDigest();
        return Optional.of(HashAlgorithm.hex(d.digest(n.data)));
    }

    @Override
    public void close() {}
}
