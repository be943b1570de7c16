package dev.ferry.core;

import dev.ferry.api.EntryKind;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.SyncPath;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The remembered state of one pair of targets, kept in a compact binary file that is only ever
 * replaced whole (written beside it, forced to disk, then renamed over it), plus a journal of
 * the changes made since, appended as each action finishes. A run that dies leaves the last
 * state file and a journal of what it did finish; loading replays the journal, so the next run
 * starts from exactly what was done.
 *
 * <p>File format: magic {@code FERRYST1}, the record count, then the records in path order.
 * A record stores its path as the length it shares with the previous path plus the rest
 * (paths in one directory share most of their bytes), then the kind and one snapshot per side.
 * Numbers are variable-length. The journal holds the same records, each behind an operation
 * byte (put or remove), and ends wherever the last complete one ends.
 */
final class StateStore {

    private static final byte[] MAGIC = "FERRYST1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JOURNAL_MAGIC = "FERRYJ01".getBytes(StandardCharsets.US_ASCII);
    private static final int PUT = 1;
    private static final int REMOVE = 2;

    private static final java.util.concurrent.atomic.AtomicLong SAVES = new java.util.concurrent.atomic.AtomicLong();

    private final Path file;
    private final Path journalFile;
    private final NavigableMap<SyncPath, StateRecord> records;
    private DataOutputStream journal;
    private FileOutputStream journalOut;

    private StateStore(Path file, NavigableMap<SyncPath, StateRecord> records) {
        this.file = file;
        this.journalFile = file.resolveSibling(file.getFileName() + ".journal");
        this.records = records;
    }

    /**
     * Loads the state at {@code file} (empty if there is none yet) and replays its journal, if a
     * run left one.
     *
     * @throws IOException naming the file if it is damaged
     */
    static StateStore load(Path file) throws IOException {
        NavigableMap<SyncPath, StateRecord> records = new TreeMap<>();
        // Unsynchronized buffering: a record is read byte by byte (variable-length numbers), and a
        // lock per byte was an eighth of a 1,000,000-entry no-op's time (bench/results/scale-profile.md).
        try (DataInputStream in = new DataInputStream(new UnsyncInput(Files.newInputStream(file)))) {
            expectMagic(in, MAGIC, file);
            long count = readVarLong(in);
            String previous = "";
            SortedRecords sorted = new SortedRecords();
            for (long i = 0; i < count; i++) {
                StateRecord r = readRecord(in, previous);
                sorted.add(r);
                previous = r.path().toString();
            }
            records = sorted.toTreeMap();
        } catch (NoSuchFileException e) {
            // first run for this pair
        } catch (EOFException | IllegalArgumentException e) {
            throw new IOException("state file " + file + " is damaged (" + e.getMessage()
                    + "); move it away to start over with a first-run merge, which deletes nothing", e);
        }
        StateStore store = new StateStore(file, records);
        store.replayJournal();
        return store;
    }

    /** The records, in path order. Changes go through {@link #put} and {@link #remove}. */
    NavigableMap<SyncPath, StateRecord> records() {
        return java.util.Collections.unmodifiableNavigableMap(records);
    }

    /**
     * Applies many changes at once without journaling them: for the updates a plan makes before
     * any action (equal pairs, paths gone on both sides); {@link #save} them right after.
     */
    synchronized void update(java.util.Collection<StateRecord> put, java.util.Collection<SyncPath> remove) {
        for (SyncPath p : remove) {
            records.remove(p);
        }
        for (StateRecord r : put) {
            records.put(r.path(), r);
        }
    }

    /** Remembers a path as synced, and journals it at once. */
    synchronized void put(StateRecord r) throws IOException {
        records.put(r.path(), r);
        journal().writeByte(PUT);
        writeRecord(journal, r, "");
        journal.flush();
    }

    /** Forgets a path (deleted on both sides), and journals it at once. */
    synchronized void remove(SyncPath path) throws IOException {
        if (records.remove(path) != null) {
            journal().writeByte(REMOVE);
            writeString(journal, path.toString());
            journal.flush();
        }
    }

    /**
     * Writes the whole state to a new file, forces it to disk, renames it over the old one and
     * drops the journal. Until the rename, the old file and the journal describe the same state.
     */
    synchronized void save() throws IOException {
        Files.createDirectories(file.getParent());
        // Named for this process and thread: writers that overlap never share a half-written file.
        Path temp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + SAVES.incrementAndGet() + ".new");
        try (FileOutputStream fos = new FileOutputStream(temp.toFile());
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(fos, 1 << 16))) {
            out.write(MAGIC);
            writeVarLong(out, records.size());
            String previous = "";
            for (StateRecord r : records.values()) {
                writeRecord(out, r, previous);
                previous = r.path().toString();
            }
            out.flush();
            fos.getChannel().force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(file.getParent());
        closeJournal();
        Files.deleteIfExists(journalFile);
    }

    /** Closes the journal without saving (what a crash would leave behind, for tests and errors). */
    synchronized void closeJournal() throws IOException {
        if (journal != null) {
            journal.flush();
            journalOut.getChannel().force(false);
            journal.close();
            journal = null;
        }
    }

    private DataOutputStream journal() throws IOException {
        if (journal == null) {
            Files.createDirectories(journalFile.getParent());
            boolean fresh = !Files.exists(journalFile) || Files.size(journalFile) == 0;
            journalOut = new FileOutputStream(journalFile.toFile(), true);
            journal = new DataOutputStream(new BufferedOutputStream(journalOut, 1 << 12));
            if (fresh) {
                journal.write(JOURNAL_MAGIC);
            }
        }
        return journal;
    }

    private void replayJournal() throws IOException {
        if (!Files.exists(journalFile)) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(journalFile)))) {
            expectMagic(in, JOURNAL_MAGIC, journalFile);
            while (true) {
                int op = in.read();
                if (op < 0) {
                    break;
                }
                try {
                    if (op == PUT) {
                        StateRecord r = readRecord(in, "");
                        records.put(r.path(), r);
                    } else if (op == REMOVE) {
                        records.remove(SyncPath.of(readString(in)));
                    } else {
                        break; // a torn last write: what follows never finished
                    }
                } catch (EOFException | IllegalArgumentException e) {
                    break; // the crash cut the last record: it never finished
                }
            }
        } catch (EOFException e) {
            // a journal cut inside its magic holds nothing
        }
        // Fold what the journal says into a fresh state file, so it is replayed once only.
        save();
    }

    private static void expectMagic(DataInputStream in, byte[] magic, Path where) throws IOException {
        byte[] m = new byte[magic.length];
        in.readFully(m);
        if (!java.util.Arrays.equals(m, magic)) {
            throw new IOException(where + " is not a Ferry state file (bad magic)");
        }
    }

    private static void writeRecord(DataOutputStream out, StateRecord r, String previous) throws IOException {
        String path = r.path().toString();
        int shared = 0;
        int max = Math.min(path.length(), previous.length());
        while (shared < max && path.charAt(shared) == previous.charAt(shared)) {
            shared++;
        }
        if (shared > 0 && shared < path.length() && Character.isLowSurrogate(path.charAt(shared))) {
            shared--; // never split a surrogate pair between prefix and rest
        }
        writeVarLong(out, shared);
        writeString(out, path.substring(shared));
        out.writeByte(r.kind() == EntryKind.FILE ? 0 : 1);
        writeSnapshot(out, r.a());
        writeSnapshot(out, r.b());
    }

    private static StateRecord readRecord(DataInputStream in, String previous) throws IOException {
        long shared = readVarLong(in);
        if (shared < 0 || shared > previous.length()) {
            throw new IllegalArgumentException("record shares " + shared + " characters with a shorter path");
        }
        String path = previous.substring(0, (int) shared) + readString(in);
        int kind = in.readUnsignedByte();
        StateRecord.Snapshot a = readSnapshot(in);
        StateRecord.Snapshot b = readSnapshot(in);
        return new StateRecord(SyncPath.of(path), kind == 0 ? EntryKind.FILE : EntryKind.DIRECTORY, a, b);
    }

    private static void writeSnapshot(DataOutputStream out, StateRecord.Snapshot s) throws IOException {
        int flags = (s.nanos() >= 0 ? 1 : 0) | (s.version() != null ? 2 : 0);
        out.writeByte(flags);
        writeVarLong(out, s.size());
        if (s.nanos() >= 0) {
            writeVarLong(out, zigzag(s.seconds()));
            writeVarLong(out, s.nanos());
        }
        if (s.version() != null) {
            writeString(out, s.version());
        }
        out.writeByte(s.hashes().size());
        for (Map.Entry<HashAlgorithm, String> h : s.hashes().entrySet()) {
            out.writeByte(h.getKey().ordinal());
            out.write(java.util.HexFormat.of().parseHex(h.getValue())); // raw: half the bytes of hex
        }
    }

    private static StateRecord.Snapshot readSnapshot(DataInputStream in) throws IOException {
        int flags = in.readUnsignedByte();
        long size = readVarLong(in);
        long seconds = 0;
        int nanos = -1;
        if ((flags & 1) != 0) {
            seconds = unzigzag(readVarLong(in));
            long rawNanos = readVarLong(in);
            if (rawNanos < 0 || rawNanos > 999_999_999) {
                throw new IllegalArgumentException("nanoseconds out of range: " + rawNanos);
            }
            nanos = (int) rawNanos;
        }
        String version = (flags & 2) != 0 ? readString(in) : null;
        int n = in.readUnsignedByte();
        Map<HashAlgorithm, String> hashes = n == 0 ? Map.of() : new EnumMap<>(HashAlgorithm.class);
        for (int i = 0; i < n; i++) {
            int ordinal = in.readUnsignedByte();
            if (ordinal >= HashAlgorithm.values().length) {
                throw new IllegalArgumentException("unknown hash algorithm " + ordinal);
            }
            HashAlgorithm alg = HashAlgorithm.values()[ordinal];
            byte[] raw = new byte[alg.hexLength() / 2];
            in.readFully(raw);
            hashes.put(alg, HashAlgorithm.hex(raw));
        }
        return new StateRecord.Snapshot(size, seconds, nanos, version, hashes);
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeVarLong(out, b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        long n = readVarLong(in);
        if (n < 0 || n > 1 << 20) { // negative: a damaged number above 2^63
            throw new IllegalArgumentException("string of " + n + " bytes");
        }
        byte[] b = new byte[(int) n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void writeVarLong(OutputStream out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long readVarLong(InputStream in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("end of file inside a number");
            }
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("number longer than 64 bits");
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not possible on every platform; the file itself was forced
        }
    }

    /**
     * The records of a state file, which {@link #save} wrote in path order: built into a tree in
     * linear time, not by a million {@code put}s of {@code log n} path comparisons each (the
     * largest cost of loading, see bench/results/scale-profile.md). A file out of order (written
     * by hand, or by a version that ordered otherwise) is still loaded, by {@code put}.
     */
    static final class SortedRecords extends java.util.AbstractMap<SyncPath, StateRecord>
            implements java.util.SortedMap<SyncPath, StateRecord> {
        private final java.util.ArrayList<Map.Entry<SyncPath, StateRecord>> list = new java.util.ArrayList<>();
        private boolean ordered = true;

        void add(StateRecord r) {
            if (!list.isEmpty()) {
                int c = list.get(list.size() - 1).getKey().compareTo(r.path());
                ordered &= c < 0;
            }
            list.add(new java.util.AbstractMap.SimpleImmutableEntry<>(r.path(), r));
        }

        NavigableMap<SyncPath, StateRecord> toTreeMap() {
            if (ordered) {
                return new TreeMap<>(this); // TreeMap(SortedMap) builds from the sorted run, comparing nothing
            }
            TreeMap<SyncPath, StateRecord> t = new TreeMap<>();
            for (Map.Entry<SyncPath, StateRecord> e : list) {
                t.put(e.getKey(), e.getValue());
            }
            return t;
        }

        @Override
        public java.util.Set<Map.Entry<SyncPath, StateRecord>> entrySet() {
            return new java.util.AbstractSet<>() {
                @Override
                public java.util.Iterator<Map.Entry<SyncPath, StateRecord>> iterator() {
                    return list.iterator();
                }

                @Override
                public int size() {
                    return list.size();
                }
            };
        }

        @Override
        public java.util.Comparator<? super SyncPath> comparator() {
            return null;
        }

        @Override
        public java.util.SortedMap<SyncPath, StateRecord> subMap(SyncPath from, SyncPath to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.SortedMap<SyncPath, StateRecord> headMap(SyncPath to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.SortedMap<SyncPath, StateRecord> tailMap(SyncPath from) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SyncPath firstKey() {
            return list.get(0).getKey();
        }

        @Override
        public SyncPath lastKey() {
            return list.get(list.size() - 1).getKey();
        }
    }

    /** A buffered stream for one reader: no lock per byte, unlike {@link BufferedInputStream}. */
    private static final class UnsyncInput extends InputStream {
        private final InputStream in;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int end;

        UnsyncInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (pos == end && !fill()) {
                return -1;
            }
            return buf[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos == end && !fill()) {
                return -1;
            }
            int n = Math.min(len, end - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        private boolean fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            end = n;
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
