package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.Entry;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.backend.support.TemporaryNames;
import dev.ferry.api.WriteHints;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import dev.ferry.testkit.engine.KilledSync;
import dev.ferry.testkit.Listings;
import dev.ferry.testkit.TestContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Uploads that survive their process (issue 7): {@link ResumableWriter} on Apache FtpServer and
 * vsftpd (both offer SIZE and REST STREAM), checked on the server's own disk, and a sync killed
 * with SIGKILL half-way that the next run continues instead of starting over.
 */
class FtpResumeTest {

    private static final AtomicInteger DIRS = new AtomicInteger();

    @TempDir
    Path tmp;

    /** A server by name; vsftpd tests are skipped where it is not installed. */
    static TestServers.Server server(String name) throws Exception {
        TestServers.Server s = name.equals("vsftpd") ? TestServers.vsftpd() : TestServers.apachePlain();
        assumeThat(s).as("vsftpd is not installed (/usr/sbin/vsftpd missing; apt-get install vsftpd): skipped").isNotNull();
        return s;
    }

    /** A fresh directory on the server: its URI, and where it is on the server's disk. */
    record Place(String uri, Path onDisk, Map<String, String> options) {
        SyncTarget open() throws IOException {
            return SyncTargets.load().open(uri, options);
        }
    }

    static Place place(TestServers.Server s) {
        String name = "resume" + DIRS.incrementAndGet();
        return new Place(s.scheme() + "://" + s.options().get("user") + "@127.0.0.1:" + s.port() + s.prefix() + "/" + name,
                s.root().resolve(name), new TreeMap<>(s.options()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"apache", "vsftpd"})
    void aBrokenAppendIsContinuedFromWhatTheServerHolds(String name) throws Exception {
        Place p = place(server(name));
        int size = 3 << 20;
        byte[] data = TestContent.bytes(7, size);
        SyncPath path = SyncPath.of("sub/big.bin");
        Instant time = Instant.parse("2021-06-07T08:09:10Z");
        WriteHints hints = new WriteHints(size, Optional.of(time), Map.of(), WriteHints.Precondition.NONE);
        try (SyncTarget t = p.open()) {
            ResumableWriter rw = t.ability(ResumableWriter.class).orElseThrow();
            ResumableWriter.PartialWrite w = rw.begin(path, hints);
            assertThat(w.token()).startsWith(".ferry-").endsWith("/sub/big.bin").doesNotContain(TestServers.PASSWORD);
            assertThat(w.committedBytes()).isZero();
            // The source breaks after 1 MiB, as a network would.
            assertThatThrownBy(() -> w.append(TestContent.failingAfter(new java.io.ByteArrayInputStream(data), 1 << 20)))
                    .isInstanceOf(IOException.class);
            // The server's session may still be writing what it received when the client gives up.
            long held = settledTempSize(p.onDisk().resolve("sub"));
            assertThat(held).isBetween(1L, 1L << 20);
            assertThat(p.onDisk().resolve("sub/big.bin")).doesNotExist();
            assertThat(t.stat(path)).isEmpty();
            assertThat(Listings.collect(t, "sub").entries()).isEmpty();

            // A new target (as a new process would open) finds it by the token.
            try (SyncTarget t2 = p.open()) {
                ResumableWriter.PartialWrite again = t2.ability(ResumableWriter.class).orElseThrow()
                        .resume(w.token(), hints).orElseThrow();
                assertThat(again.committedBytes()).isEqualTo(held);
                again.append(new java.io.ByteArrayInputStream(data, (int) held, size - (int) held));
                Entry e = again.complete();
                assertThat(e.size()).isEqualTo(size);
                assertThat(e.modTime()).contains(time);
            }
            assertThat(Files.readAllBytes(p.onDisk().resolve("sub/big.bin"))).isEqualTo(data);
            assertThat(Files.getLastModifiedTime(p.onDisk().resolve("sub/big.bin")).toInstant()).isEqualTo(time);
            assertThat(tempFile(p.onDisk().resolve("sub"))).isEmpty();
            assertThat(rw.resume(w.token(), hints)).as("a completed write is gone").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"apache", "vsftpd"})
    void aWrongSizeIsNeverPublishedAndAbortDeletes(String name) throws Exception {
        Place p = place(server(name));
        try (SyncTarget t = p.open()) {
            t.makeDirectories(SyncPath.ROOT);
            ResumableWriter rw = t.ability(ResumableWriter.class).orElseThrow();
            SyncPath path = SyncPath.of("a.bin");
            WriteHints hints = WriteHints.ofSize(1000);
            ResumableWriter.PartialWrite w = rw.begin(path, hints);
            // 600 bytes arrive, then the source claims it is done: the hinted 1000 are not there.
            assertThatThrownBy(() -> w.append(new java.io.ByteArrayInputStream(new byte[600])))
                    .isInstanceOf(PermanentSyncException.class);
            // Fewer bytes held than announced is what a lost connection leaves: another attempt resumes.
            assertThatThrownBy(w::complete).isInstanceOf(dev.ferry.api.TransientSyncException.class)
                    .hasMessageContaining("nothing was published");
            assertThat(p.onDisk().resolve("a.bin")).doesNotExist();
            w.abort();
            assertThat(tempFile(p.onDisk())).isEmpty();
            assertThat(rw.resume(w.token(), hints)).as("an aborted write is gone").isEmpty();
            assertThat(rw.resume("../../etc/passwd", hints)).isEmpty();
            assertThat(rw.resume("not-a-temp/a.bin", hints)).isEmpty();
        }
    }

    /**
     * The child JVM syncs a 200 MiB file at 40 MB/s and is killed once the server's temporary
     * file holds half of it; the next run, in this JVM, sends only the rest.
     */
    @ParameterizedTest
    @ValueSource(strings = {"apache", "vsftpd"})
    void aKilledProcessIsContinuedByTheNextOne(String name) throws Exception {
        TestServers.Server server = server(name);
        Place p = place(server);
        long size = 200L << 20;
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        try (InputStream in = TestContent.stream(42, size); OutputStream out = Files.newOutputStream(src.resolve("video.bin"))) {
            in.transferTo(out);
        }
        Path state = tmp.resolve("state");
        KilledSync.Location dst = new KilledSync.Location(p.uri(), p.options());
        Process child = KilledSync.start(KilledSync.Location.of(src.toString()), dst, state, 40_000_000L, tmp.resolve("child"));
        KilledSync.killWhen(child, () -> tempSize(p.onDisk()), size / 2, Duration.ofSeconds(60), tmp.resolve("child"));
        long left = tempSize(p.onDisk());
        assertThat(left).as("a partial file is left on the server").isBetween(size / 2, size - 1);
        assertThat(p.onDisk().resolve("video.bin")).as("nothing at the final name before completion").doesNotExist();
        assertThat(Files.readString(tmp.resolve("child/child.log"))).doesNotContain(TestServers.PASSWORD);

        try (SyncTarget s = SyncTargets.load().open(src.toString()); SyncTarget d = p.open()) {
            assertThat(d.stat(SyncPath.of("video.bin"))).isEmpty();
            SyncReport r = Sync.between(s, d, SyncOptions.builder().stateDirectory(state).build()).run();
            assertThat(r.failures()).isEmpty();
            System.out.printf("resume after kill (%s): first process left %d MiB, second sent %d MiB of %d (%.0f%%)%n",
                    name, left >> 20, r.bytesCopied() >> 20, size >> 20, 100.0 * r.bytesCopied() / size);
            assertThat(r.bytesCopied()).as("sent the second time").isLessThanOrEqualTo((long) (size * 0.6));
        }
        assertThat(sha(p.onDisk().resolve("video.bin"))).isEqualTo(sha(src.resolve("video.bin")));
        assertThat(tempFile(p.onDisk())).as("no temporary file left").isEmpty();
        assertThat(state.resolve("transfers")).isEmptyDirectory();
    }

    static String sha(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return TestContent.sha256(in);
        }
    }

    /** Ferry's temporary file in {@code dir} on the server's disk, if any. */
    static Optional<Path> tempFile(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> TemporaryNames.isTemporary(f.getFileName().toString())).findFirst();
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The temporary file's size once it has stopped changing for 200 ms (at most 5 s). */
    static long settledTempSize(Path dir) throws InterruptedException {
        long before = -1;
        for (int i = 0; i < 25; i++) {
            long now = tempSize(dir);
            if (now > 0 && now == before) {
                return now;
            }
            before = now;
            Thread.sleep(200);
        }
        return before;
    }

    static long tempSize(Path dir) {
        try {
            Optional<Path> t = tempFile(dir);
            return t.isPresent() ? Files.size(t.get()) : 0;
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
