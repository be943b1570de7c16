package dev.ferry.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.Appender;
import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.Hasher;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.ModTimeSetter;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.ServerSideCopy;
import dev.ferry.api.ServerSideMove;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every {@link SyncTarget} keeps, run by each backend against its real server, in the
 * spirit of rclone's {@code fstests}. A backend's test extends this class and implements
 * {@link #newTarget()}; the hooks below say what the backend legitimately cannot do. Each test
 * asserts something that fails if the feature breaks; tests of abilities and capabilities a target
 * does not claim are skipped, not passed.
 *
 * <p>Names and sizes are chosen to catch the usual bugs of protocol backends: URL-encoding
 * ({@code %41}, {@code +}, {@code #}, {@code ?}), Unicode normalization, temp-name length limits,
 * buffering a whole upload in memory (the large-file test streams more than the test heap).
 */
public abstract class SyncTargetContract {

    /** A modification time no clock would produce by accident, with nanoseconds. */
    protected static final Instant MTIME = Instant.parse("2021-03-04T05:06:07.123456789Z");

    /** The target under test: a fresh one per test, closed after it. */
    protected SyncTarget target;

    /**
     * A fresh, empty target: each test writes only below its root. Its root directory may or may
     * not exist yet.
     */
    protected abstract SyncTarget newTarget() throws Exception;

    /** Size of the streamed file; default 300 MiB, more than the -Xmx256m the build runs tests with. */
    protected long largeFileSize() {
        return 300L * 1024 * 1024;
    }

    /** Whether a directory exists without files in it (false for object stores). */
    protected boolean supportsEmptyDirectories() {
        return true;
    }

    /** Whether the NFC and NFD spellings of a name are kept as two different files (false on macOS HFS+). */
    protected boolean preservesUnicodeNormalization() {
        return true;
    }

    /**
     * Whether the target refuses this name of {@link #ODD_NAMES} by design (a limit of its
     * protocol client, documented on the backend's page). A refused name must fail with a
     * {@link PermanentSyncException} naming it and leave nothing; the others still round-trip.
     */
    protected boolean refusesName(String name) {
        return false;
    }

    /** Entries in the large directory listing test. */
    protected int largeDirectorySize() {
        return 10_000;
    }

    /** Parallel writers used to fill the large directory. */
    protected int writerThreads() {
        return 8;
    }

    @BeforeEach
    final void openContractTarget() throws Exception {
        target = newTarget();
    }

    @AfterEach
    final void closeContractTarget() throws IOException {
        if (target != null) {
            target.close();
        }
    }

    // ------------------------------------------------------------------ basics

    @Test
    void writeThenStatListAndRead() throws IOException {
        byte[] data = "hello, ferry\n".getBytes(UTF_8);
        Entry written = put("hello.txt", data);

        assertThat(written.path()).isEqualTo(path("hello.txt"));
        assertThat(written.isFile()).isTrue();
        assertThat(written.size()).isEqualTo(data.length);

        Entry stat = target.stat(path("hello.txt")).orElseThrow();
        assertThat(stat.isFile()).isTrue();
        assertThat(stat.size()).isEqualTo(data.length);
        if (written.modTime().isPresent() && stat.modTime().isPresent()) {
            assertThat(stat.modTime()).as("write returns the entry as stored").isEqualTo(written.modTime());
        }

        Listings.Result root = Listings.collect(target, SyncPath.ROOT);
        assertThat(root.names()).containsExactly("hello.txt");
        assertThat(root.entry("hello.txt").orElseThrow().size()).isEqualTo(data.length);
        assertThat(root.notices()).isEmpty();

        assertThat(read("hello.txt")).isEqualTo(data);
    }

    @Test
    void statOfMissingPathIsEmpty() throws IOException {
        assertThat(target.stat(path("missing.txt"))).isEmpty();
        assertThat(target.stat(path("missing/deeper.txt"))).isEmpty();
    }

    @Test
    void listOfMissingDirectoryThrowsNotFound() throws IOException {
        put("present.txt", new byte[] {1});
        assertThatThrownBy(() -> Listings.collect(target, "missing")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> Listings.collect(target, "missing/deeper")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void openOfMissingFileThrowsNotFound() {
        assertThatThrownBy(() -> target.open(path("missing.txt"), 0)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void openOfDirectoryFails() throws IOException {
        put("dir/file.txt", new byte[] {1});
        assertThatThrownBy(() -> {
            try (InputStream in = target.open(path("dir"), 0)) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void emptyFileRoundTrips() throws IOException {
        Entry written = put("empty", new byte[0]);
        assertThat(written.size()).isZero();
        assertThat(target.stat(path("empty")).orElseThrow().size()).isZero();
        assertThat(Listings.collect(target, SyncPath.ROOT).entry("empty").orElseThrow().isFile()).isTrue();
        assertThat(read("empty")).isEmpty();
    }

    @Test
    void writeCreatesParentDirectories() throws IOException {
        put("a/b/c.txt", "c".getBytes(UTF_8));
        Listings.Result a = Listings.collect(target, "a");
        assertThat(a.names()).containsExactly("b");
        assertThat(a.entry("b").orElseThrow().isDirectory()).isTrue();
        assertThat(target.stat(path("a/b")).orElseThrow().isDirectory()).isTrue();
        assertThat(Listings.collect(target, "a/b").names()).containsExactly("c.txt");
        assertThat(read("a/b/c.txt")).isEqualTo("c".getBytes(UTF_8));
    }

    @Test
    void writeConsumesButDoesNotCloseTheContent() throws IOException {
        boolean[] closed = {false};
        InputStream in = new FilterInputStream(new ByteArrayInputStream(new byte[1000])) {
            @Override
            public void close() throws IOException {
                closed[0] = true;
                super.close();
            }
        };
        target.write(path("f"), in, WriteHints.ofSize(1000));
        assertThat(closed[0]).as("closed by the target").isFalse();
        assertThat(in.read()).as("consumed to the end").isEqualTo(-1);
    }

    @Test
    void makeDirectoriesIsIdempotent() throws IOException {
        target.makeDirectories(path("x/y/z"));
        target.makeDirectories(path("x/y/z"));
        target.makeDirectories(path("x/y"));
        if (supportsEmptyDirectories()) {
            assertThat(target.stat(path("x/y/z")).orElseThrow().isDirectory()).isTrue();
            assertThat(Listings.collect(target, "x/y").entry("z").orElseThrow().isDirectory()).isTrue();
            assertThat(Listings.collect(target, "x/y/z").entries()).isEmpty();
        }
        put("x/y/z/f.txt", new byte[] {7});
        assertThat(read("x/y/z/f.txt")).containsExactly(7);
    }

    @Test
    void deleteRemovesAFile() throws IOException {
        put("gone.txt", new byte[] {1, 2, 3});
        put("kept.txt", new byte[] {4});
        target.delete(path("gone.txt"));
        assertThat(target.stat(path("gone.txt"))).isEmpty();
        assertThat(Listings.collect(target, SyncPath.ROOT).names()).containsExactly("kept.txt");
        assertThatThrownBy(() -> target.open(path("gone.txt"), 0)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteOfMissingPathSucceeds() throws IOException {
        assertThatCode(() -> target.delete(path("never-there.txt"))).doesNotThrowAnyException();
        assertThatCode(() -> target.delete(path("never/there/at/all.txt"))).doesNotThrowAnyException();
        put("once.txt", new byte[] {1});
        target.delete(path("once.txt"));
        assertThatCode(() -> target.delete(path("once.txt"))).as("a retried delete").doesNotThrowAnyException();
    }

    @Test
    void deleteRemovesAnEmptyDirectory() throws IOException {
        assumeThat(supportsEmptyDirectories()).as("target keeps empty directories").isTrue();
        target.makeDirectories(path("empty-dir"));
        target.delete(path("empty-dir"));
        assertThat(target.stat(path("empty-dir"))).isEmpty();
        assertThat(Listings.collect(target, SyncPath.ROOT).names()).doesNotContain("empty-dir");
    }

    @Test
    void deleteOfNonEmptyDirectoryFailsAndKeepsItsContent() throws IOException {
        put("full/child.txt", "keep me".getBytes(UTF_8));
        if (supportsEmptyDirectories()) {
            assertThatThrownBy(() -> target.delete(path("full"))).isInstanceOf(IOException.class);
        } else {
            try {
                target.delete(path("full"));
            } catch (IOException expected) {
                // either refused or a no-op; what matters is the content
            }
        }
        assertThat(read("full/child.txt")).isEqualTo("keep me".getBytes(UTF_8));
    }

    // ------------------------------------------------------------------ content

    @Test
    void largeFileStreamsThroughBoundedMemory() throws Exception {
        long size = largeFileSize();
        SyncPath p = path("large.bin");
        MessageDigest sent = HashAlgorithm.SHA256.newDigest();
        Entry written;
        try (InputStream in = new DigestInputStream(TestContent.stream(42, size), sent)) {
            written = target.write(p, in, WriteHints.ofSize(size));
        }
        String sentHash = HashAlgorithm.hex(sent.digest());
        assertThat(written.size()).isEqualTo(size);
        assertThat(target.stat(p).orElseThrow().size()).isEqualTo(size);
        try (InputStream in = target.open(p, 0)) {
            assertThat(TestContent.sha256(in)).as("SHA-256 of the %d bytes read back", size).isEqualTo(sentHash);
        }
    }

    @Test
    void overwriteReplacesContentEntirely() throws IOException {
        byte[] longer = TestContent.bytes(1, 10_000);
        byte[] shorter = "short".getBytes(UTF_8);
        byte[] middle = TestContent.bytes(2, 3_000);
        put("f.bin", longer);
        assertThat(put("f.bin", shorter).size()).isEqualTo(shorter.length);
        assertThat(read("f.bin")).as("no tail of the longer content left").isEqualTo(shorter);
        assertThat(target.stat(path("f.bin")).orElseThrow().size()).isEqualTo(shorter.length);
        put("f.bin", middle);
        assertThat(read("f.bin")).isEqualTo(middle);
        assertThat(Listings.collect(target, SyncPath.ROOT).names()).containsExactly("f.bin");
    }

    @Test
    void offsetReadReturnsTheTail() throws IOException {
        byte[] data = TestContent.bytes(3, 200_000);
        put("seek.bin", data);
        for (int offset : new int[] {0, 1, 65_535, 65_537, 199_999}) {
            try (InputStream in = target.open(path("seek.bin"), offset)) {
                assertThat(in.readAllBytes()).as("from offset %d", offset)
                        .isEqualTo(Arrays.copyOfRange(data, offset, data.length));
            }
        }
        try (InputStream in = target.open(path("seek.bin"), data.length)) {
            assertThat(in.readAllBytes()).as("from the end").isEmpty();
        }
    }

    @Test
    void failedWriteLeavesOldContentAndNoTemporaryFile() throws IOException {
        byte[] old = "the old content".getBytes(UTF_8);
        put("f.txt", old);
        long size = 1_000_000;
        InputStream broken = TestContent.failingAfter(TestContent.stream(5, size), size / 2);
        assertThatThrownBy(() -> target.write(path("f.txt"), broken, WriteHints.ofSize(size)))
                .isInstanceOf(IOException.class);
        assertThat(read("f.txt")).isEqualTo(old);
        assertThat(target.stat(path("f.txt")).orElseThrow().size()).isEqualTo(old.length);
        assertOnlyEntries(SyncPath.ROOT, "f.txt");
    }

    @Test
    void failedWriteOfNewFileLeavesNothing() throws IOException {
        InputStream broken = TestContent.failingAfter(TestContent.stream(6, 500_000), 200_000);
        assertThatThrownBy(() -> target.write(path("dir/new.bin"), broken, WriteHints.NONE))
                .isInstanceOf(IOException.class);
        assertThat(target.stat(path("dir/new.bin"))).isEmpty();
        if (target.stat(path("dir")).isPresent()) {
            assertOnlyEntries(path("dir"));
        }
        assertThat(Listings.collect(target, SyncPath.ROOT).entries()).allMatch(Entry::isDirectory);
    }

    @Test
    void readersSeeOldContentWhileAWriteIsInProgress() throws Exception {
        byte[] old = "old".getBytes(UTF_8);
        byte[] fresh = TestContent.bytes(8, 300_000);
        put("f.bin", old);
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<Entry> done = writer.submit(() ->
                    target.write(path("f.bin"), pausingHalfway(fresh, halfway, resume), WriteHints.ofSize(fresh.length)));
            assertThat(halfway.await(60, TimeUnit.SECONDS)).as("writer reached the middle").isTrue();

            assertThat(read("f.bin")).as("content while the write is in progress").isEqualTo(old);
            assertThat(target.stat(path("f.bin")).orElseThrow().size()).isEqualTo(old.length);
            assertOnlyEntries(SyncPath.ROOT, "f.bin");

            resume.countDown();
            assertThat(done.get(60, TimeUnit.SECONDS).size()).isEqualTo(fresh.length);
            assertThat(read("f.bin")).isEqualTo(fresh);
        } finally {
            resume.countDown();
            writer.shutdownNow();
        }
    }

    @Test
    void shortContentForAnnouncedSizeFailsAndLeavesNothing() throws IOException {
        assertThatThrownBy(() -> target.write(path("short.bin"), TestContent.stream(9, 500), WriteHints.ofSize(1000)))
                .isInstanceOf(IOException.class);
        assertThat(target.stat(path("short.bin"))).isEmpty();
        assertOnlyEntries(SyncPath.ROOT);
    }

    @Test
    void longContentForAnnouncedSizeFailsAndLeavesNothing() throws IOException {
        assertThatThrownBy(() -> target.write(path("long.bin"), TestContent.stream(9, 300_000), WriteHints.ofSize(1000)))
                .isInstanceOf(IOException.class);
        assertThat(target.stat(path("long.bin"))).isEmpty();
        assertOnlyEntries(SyncPath.ROOT);
    }

    // ------------------------------------------------------------------ names and paths

    /** Names that trip URL encoders, shells and naive path handling. */
    protected static final List<String> ODD_NAMES = List.of(
            "with space.txt",
            "#%?&+",
            "a b#c%d?e&f+g",
            "100%",
            "%41%2F%2e%2e",
            "a+b=c;d,e",
            "-leading-dash",
            "it's [1] {2} (3) ~$@!",
            "日本語のファイル.txt",
            "中文目录",
            "한국어",
            "emoji 😀🎉.txt",
            ".hidden"); // FTP servers and WebDAV shares hide dot files unless asked

    @Test
    void unusualNamesRoundTrip() throws IOException {
        List<String> writable = new ArrayList<>();
        for (String name : ODD_NAMES) {
            if (refusesName(name)) {
                // A documented limit: refused up front, naming the file, and nothing is left.
                assertThatThrownBy(() -> put(name, name.getBytes(UTF_8))).as(name)
                        .isInstanceOf(PermanentSyncException.class).hasMessageContaining(name);
                assertThatThrownBy(() -> put("dirs/" + name + "/inner.txt", name.getBytes(UTF_8))).as(name)
                        .isInstanceOf(PermanentSyncException.class).hasMessageContaining(name);
                continue;
            }
            writable.add(name);
            put(name, name.getBytes(UTF_8));
            put("dirs/" + name + "/inner.txt", name.getBytes(UTF_8));
        }
        assertThat(writable).as("names left to round-trip").hasSizeGreaterThan(ODD_NAMES.size() / 2);
        assertThat(Listings.collect(target, SyncPath.ROOT).names())
                .containsExactlyInAnyOrderElementsOf(concat(writable, List.of("dirs")));
        assertThat(Listings.collect(target, "dirs").names()).containsExactlyInAnyOrderElementsOf(writable);
        for (String name : writable) {
            assertThat(read(name)).as(name).isEqualTo(name.getBytes(UTF_8));
            assertThat(target.stat(SyncPath.of(name)).orElseThrow().size()).as(name).isEqualTo(name.getBytes(UTF_8).length);
            assertThat(Listings.collect(target, SyncPath.of("dirs", name)).names()).as(name).containsExactly("inner.txt");
            assertThat(read("dirs/" + name + "/inner.txt")).as(name).isEqualTo(name.getBytes(UTF_8));
        }
    }

    @Test
    void unicodeNormalizationFormsAreTwoFiles() throws IOException {
        assumeThat(preservesUnicodeNormalization()).as("target preserves Unicode normalization").isTrue();
        String nfc = Normalizer.normalize("café", Normalizer.Form.NFC);
        String nfd = Normalizer.normalize("café", Normalizer.Form.NFD);
        assertThat(nfc).isNotEqualTo(nfd);
        put(nfc, "composed".getBytes(UTF_8));
        put(nfd, "decomposed".getBytes(UTF_8));
        assertThat(Listings.collect(target, SyncPath.ROOT).names()).containsExactlyInAnyOrder(nfc, nfd);
        assertThat(read(nfc)).isEqualTo("composed".getBytes(UTF_8));
        assertThat(read(nfd)).isEqualTo("decomposed".getBytes(UTF_8));
    }

    @Test
    void caseSensitivityIsAsDeclared() throws IOException {
        put("case.txt", "lower".getBytes(UTF_8));
        put("CASE.txt", "upper".getBytes(UTF_8));
        List<String> names = Listings.collect(target, SyncPath.ROOT).names();
        if (target.capabilities().caseSensitive()) {
            assertThat(names).containsExactlyInAnyOrder("case.txt", "CASE.txt");
            assertThat(read("case.txt")).isEqualTo("lower".getBytes(UTF_8));
            assertThat(read("CASE.txt")).isEqualTo("upper".getBytes(UTF_8));
        } else {
            assertThat(names).as("a case-insensitive target keeps one of the two").hasSize(1);
            assertThat(read("case.txt")).isEqualTo("upper".getBytes(UTF_8));
        }
    }

    @Test
    void namesAsLongAsDeclaredRoundTrip() throws IOException {
        int max = target.capabilities().maxNameLength();
        assumeThat(max).as("target declares a name length limit").isPositive();
        String ascii = "n".repeat(max);
        String cjk = "日".repeat(max / 3); // 3 UTF-8 bytes each
        put(ascii, new byte[] {1});
        put(cjk, new byte[] {2});
        assertThat(Listings.collect(target, SyncPath.ROOT).names()).containsExactlyInAnyOrder(ascii, cjk);
        assertThat(read(ascii)).containsExactly(1);
        assertThat(read(cjk)).containsExactly(2);
    }

    @Test
    void deepPathsWork() throws IOException {
        String dir = IntStream.rangeClosed(1, 20).mapToObj(i -> String.format("level%02d", i)).collect(Collectors.joining("/"));
        put(dir + "/deep.txt", "deep".getBytes(UTF_8));
        assertThat(read(dir + "/deep.txt")).isEqualTo("deep".getBytes(UTF_8));
        SyncPath p = SyncPath.ROOT;
        for (int i = 1; i <= 20; i++) {
            String name = String.format("level%02d", i);
            Listings.Result listing = Listings.collect(target, p);
            assertThat(listing.names()).as("listing of '%s'", p).containsExactly(name);
            assertThat(listing.entry(name).orElseThrow().isDirectory()).isTrue();
            p = p.child(name);
        }
        assertThat(Listings.collect(target, p).names()).containsExactly("deep.txt");
        assertThat(target.stat(p.child("deep.txt")).orElseThrow().size()).isEqualTo(4);
    }

    /**
     * Paths that could leave a root never become a {@link SyncPath}, so no target ever sees them;
     * backend tests add their own checks (planted symlinks and the like).
     */
    @ParameterizedTest
    @ValueSource(strings = {"../x", "..", "/abs", "/", "a/../b", "a/./b", ".", "a//b", "a/", "a\\b", "..\\..\\etc", "a\0b"})
    void hostilePathsAreRejectedBySyncPath(String hostile) {
        assertThatThrownBy(() -> SyncPath.of(hostile)).isInstanceOf(IllegalArgumentException.class);
        if (!hostile.contains("/")) {
            assertThatThrownBy(() -> SyncPath.ROOT.child(hostile)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void largeDirectoryListingStreams() throws Exception {
        int n = largeDirectorySize();
        int threads = writerThreads();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                writers.add(pool.submit(() -> {
                    for (int i = first; i < n; i += threads) {
                        target.write(path("big/" + bigName(i)), new ByteArrayInputStream(new byte[] {(byte) i}),
                                WriteHints.ofSize(1));
                    }
                    return null;
                }));
            }
            for (Future<?> w : writers) {
                w.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        BitSet seen = new BitSet(n);
        long[] count = {0};
        List<ListingNotice> notices = new ArrayList<>();
        target.list(path("big"), new ListingSink() {
            @Override
            public void entry(Entry entry) {
                int i = Integer.parseInt(entry.path().name().substring(1));
                assertThat(seen.get(i)).as("listed twice: %s", entry.path()).isFalse();
                assertThat(entry.size()).isEqualTo(1);
                seen.set(i);
                count[0]++;
            }

            @Override
            public void notice(ListingNotice notice) {
                notices.add(notice);
            }
        });
        assertThat(count[0]).isEqualTo(n);
        assertThat(seen.cardinality()).isEqualTo(n);
        assertThat(notices).isEmpty();
    }

    private static String bigName(int i) {
        return String.format("f%06d", i);
    }

    // ------------------------------------------------------------------ modification times and hashes

    @Test
    void modTimeIsKeptToTheDeclaredPrecision() throws IOException {
        Capabilities caps = target.capabilities();
        assumeThat(caps.keepsModTime()).as("target keeps modification times").isTrue();
        byte[] data = "timed".getBytes(UTF_8);
        Entry written = target.write(path("timed.txt"), new ByteArrayInputStream(data),
                WriteHints.ofSize(data.length).withModTime(MTIME));
        Duration precision = caps.modTimePrecision();
        assertModTime(written.modTime(), MTIME, precision, "returned by write");
        assertModTime(target.stat(path("timed.txt")).orElseThrow().modTime(), MTIME, precision, "stat");
        // A listing may leave the time out (object stores); if it gives one, it must be right.
        Optional<Instant> listed = Listings.collect(target, SyncPath.ROOT).entry("timed.txt").orElseThrow().modTime();
        if (listed.isPresent()) {
            assertModTime(listed, MTIME, precision, "listing");
        }
    }

    @Test
    void modTimeSetterChangesTheStoredTime() throws IOException {
        Optional<ModTimeSetter> setter = target.ability(ModTimeSetter.class);
        assumeThat(setter).as("ModTimeSetter ability").isPresent();
        put("touched.txt", "x".getBytes(UTF_8));
        Duration precision = target.capabilities().modTimePrecision();
        Entry returned = setter.get().setModTime(path("touched.txt"), MTIME);
        assertModTime(returned.modTime(), MTIME, precision, "returned by setModTime");
        assertModTime(target.stat(path("touched.txt")).orElseThrow().modTime(), MTIME, precision, "stat");
        Instant later = MTIME.plus(Duration.ofDays(400)).plusSeconds(1);
        setter.get().setModTime(path("touched.txt"), later);
        assertModTime(target.stat(path("touched.txt")).orElseThrow().modTime(), later, precision, "stat after a second set");
        assertThat(read("touched.txt")).isEqualTo("x".getBytes(UTF_8));
    }

    @Test
    void hashesAreRightWhereverGivenAndPresentWhereClaimed() throws IOException {
        Optional<Hasher> hasher = target.ability(Hasher.class);
        for (byte[] data : List.of(TestContent.bytes(11, 100_003), new byte[0])) {
            String name = "hashed-" + data.length + ".bin";
            SyncPath p = path(name);
            Entry written = target.write(p, new ByteArrayInputStream(data), WriteHints.ofSize(data.length));
            Entry stat = target.stat(p).orElseThrow();
            Entry listed = Listings.collect(target, SyncPath.ROOT).entry(name).orElseThrow();
            for (HashAlgorithm algorithm : HashAlgorithm.values()) {
                String expected = TestContent.hash(algorithm, data);
                for (Entry e : List.of(written, stat, listed)) {
                    e.hash(algorithm).ifPresent(h -> assertThat(h).as("%s of %s in %s", algorithm, name, e).isEqualTo(expected));
                }
                Optional<String> computed = hasher.isPresent() ? hasher.get().hash(p, algorithm) : Optional.empty();
                computed.ifPresent(h -> assertThat(h).as("%s of %s from the Hasher", algorithm, name).isEqualTo(expected));
                if (target.capabilities().hashes().contains(algorithm)) {
                    Optional<String> given = stat.hash(algorithm).or(() -> listed.hash(algorithm)).or(() -> computed);
                    assertThat(given).as("capabilities claim %s: a stat, a listing or the Hasher must give it", algorithm)
                            .contains(expected);
                }
            }
        }
    }

    // ------------------------------------------------------------------ abilities

    @Test
    void serverSideCopyDuplicatesAndReplaces() throws IOException {
        Optional<ServerSideCopy> copier = target.ability(ServerSideCopy.class);
        assumeThat(copier).as("ServerSideCopy ability").isPresent();
        byte[] a = TestContent.bytes(21, 70_000);
        byte[] c = "to be replaced".getBytes(UTF_8);
        put("a.bin", a);
        put("c.bin", c);

        Entry copied = copier.get().copy(path("a.bin"), path("b.bin"));
        assertThat(copied.path()).isEqualTo(path("b.bin"));
        assertThat(copied.size()).isEqualTo(a.length);
        assertThat(read("b.bin")).isEqualTo(a);
        assertThat(read("a.bin")).as("source untouched").isEqualTo(a);

        copier.get().copy(path("a.bin"), path("c.bin"));
        assertThat(read("c.bin")).isEqualTo(a);
        assertOnlyEntries(SyncPath.ROOT, "a.bin", "b.bin", "c.bin");
    }

    @Test
    void serverSideMoveRenamesAndReplaces() throws IOException {
        Optional<ServerSideMove> mover = target.ability(ServerSideMove.class);
        assumeThat(mover).as("ServerSideMove ability").isPresent();
        byte[] a = TestContent.bytes(22, 70_000);
        byte[] b = TestContent.bytes(23, 10);
        put("a.bin", a);
        put("b.bin", b);

        Entry moved = mover.get().move(path("a.bin"), path("sub/moved.bin"));
        assertThat(moved.path()).isEqualTo(path("sub/moved.bin"));
        assertThat(moved.size()).isEqualTo(a.length);
        assertThat(target.stat(path("a.bin"))).isEmpty();
        assertThat(read("sub/moved.bin")).isEqualTo(a);

        mover.get().move(path("sub/moved.bin"), path("b.bin"));
        assertThat(read("b.bin")).as("replaced").isEqualTo(a);
        assertThat(target.stat(path("sub/moved.bin"))).isEmpty();
        assertThatThrownBy(() -> mover.get().move(path("missing.bin"), path("x.bin"))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void appenderAppendsOnlyAtTheExpectedSize() throws IOException {
        Optional<Appender> appender = target.ability(Appender.class);
        assumeThat(appender).as("Appender ability").isPresent();
        put("log.txt", "hello".getBytes(UTF_8));

        Entry appended = appender.get().append(path("log.txt"), 5, new ByteArrayInputStream(" world".getBytes(UTF_8)));
        assertThat(appended.size()).isEqualTo(11);
        assertThat(read("log.txt")).isEqualTo("hello world".getBytes(UTF_8));

        assertThatThrownBy(() -> appender.get().append(path("log.txt"), 5, new ByteArrayInputStream("!".getBytes(UTF_8))))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(read("log.txt")).as("unchanged after a refused append").isEqualTo("hello world".getBytes(UTF_8));
    }

    // ------------------------------------------------------------------ helpers for subclasses too

    /** A path from its string form. */
    protected static SyncPath path(String p) {
        return SyncPath.of(p);
    }

    /** Writes {@code data} with its size announced. */
    protected Entry put(String p, byte[] data) throws IOException {
        return target.write(SyncPath.of(p), new ByteArrayInputStream(data), WriteHints.ofSize(data.length));
    }

    /** Reads a whole (small) file. */
    protected byte[] read(String p) throws IOException {
        try (InputStream in = target.open(SyncPath.of(p), 0)) {
            return in.readAllBytes();
        }
    }

    /**
     * Asserts a directory lists exactly these names and nothing else but temporary-file notices:
     * no leftover or half-written file shows.
     */
    protected void assertOnlyEntries(SyncPath dir, String... names) throws IOException {
        Listings.Result listing = Listings.collect(target, dir);
        assertThat(listing.names()).as("entries of '%s'", dir).containsExactlyInAnyOrder(names);
        assertThat(listing.notices()).as("notices of '%s'", dir)
                .allMatch(n -> n.reason() == ListingNotice.Reason.TEMPORARY_FILE);
    }

    private static void assertModTime(Optional<Instant> got, Instant want, Duration precision, String what) {
        assertThat(got).as("modification time %s", what).isPresent();
        Duration off = Duration.between(want, got.get()).abs();
        assertThat(off).as("modification time %s: %s for %s, precision %s", what, got.get(), want, precision)
                .isLessThanOrEqualTo(precision);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Delivers the first half of {@code data}, then waits for {@code resume} before the rest. */
    private static InputStream pausingHalfway(byte[] data, CountDownLatch halfway, CountDownLatch resume) {
        return TestContent.halfwayThen(data, () -> {
            halfway.countDown();
            try {
                if (!resume.await(120, TimeUnit.SECONDS)) {
                    throw new IOException("test never resumed the write");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while paused");
            }
        });
    }
}
