package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Capabilities;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One-way runs to a server that keeps no times (it stamps each upload with its arrival and a
 * new ETag) remember what they copied: nothing unchanged is sent again, and an edit that kept
 * the size is still seen, on either side.
 */
class CopyMemoryTest {

    static final Instant T1 = Instant.parse("2024-05-01T10:00:00Z");
    static final Instant T2 = Instant.parse("2024-05-02T10:00:00Z");

    @TempDir
    Path state;

    MemoryTarget src = new MemoryTarget("src");
    MemoryTarget dav = new MemoryTarget("dav");

    @BeforeEach
    void davKeepsNoTimes() {
        dav.capabilities = Capabilities.builder().keepsModTime(false).build();
        dav.stampsWrites = true;
        src.file("a.txt", "aaaa", T1).file("sub/b.txt", "bbbb", T1).file("sub/c.txt", "cccc", T1);
    }

    SyncOptions.Builder opts(SyncMode mode) {
        return SyncOptions.builder().mode(mode).stateDirectory(state)
                .retry(new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), 0));
    }

    SyncReport run(SyncMode mode) throws IOException {
        return Sync.between(src, dav, opts(mode).build()).run();
    }

    @Test
    void unchangedFilesAreNotSentAgain() throws IOException {
        assertThat(run(SyncMode.COPY).filesCopied()).isEqualTo(3);
        int writes = dav.writes.get();
        SyncReport again = run(SyncMode.COPY);
        assertThat(again.filesCopied()).isZero();
        assertThat(run(SyncMode.MIRROR).filesCopied()).isZero();
        assertThat(dav.writes.get()).as("uploads after the first run").isEqualTo(writes);
    }

    @Test
    void anEditThatKeptTheSizeIsSeen() throws IOException {
        run(SyncMode.COPY);
        src.file("sub/b.txt", "BBBB", T2); // same size, later time: sizes alone would miss it
        SyncPlan plan = Sync.between(src, dav, opts(SyncMode.COPY).build()).dryRun();
        assertThat(plan.actions()).singleElement().satisfies(a -> {
            assertThat(a.path()).isEqualTo(SyncPath.of("sub/b.txt"));
            assertThat(((SyncAction.CopyFile) a).reason()).isEqualTo(SyncAction.Reason.CHANGED);
        });
        assertThat(run(SyncMode.COPY).filesCopied()).isEqualTo(1);
        assertThat(dav.content("sub/b.txt")).isEqualTo("BBBB");
        assertThat(run(SyncMode.COPY).filesCopied()).isZero();
    }

    @Test
    void aDestinationChangedBehindItsBackIsPutRight() throws IOException {
        run(SyncMode.COPY);
        // Someone else uploads other bytes of the same size: a new ETag.
        dav.write(SyncPath.of("a.txt"), new ByteArrayInputStream("XXXX".getBytes(StandardCharsets.UTF_8)),
                WriteHints.NONE);
        assertThat(run(SyncMode.MIRROR).filesCopied()).isEqualTo(1);
        assertThat(dav.content("a.txt")).isEqualTo("aaaa");
    }

    @Test
    void aFirstRunOverAnExistingCopyTrustsSizesThenRemembers() throws IOException {
        dav.file("a.txt", "aaaa", T2).file("sub/b.txt", "bbbb", T2).file("sub/c.txt", "cccc", T2);
        assertThat(run(SyncMode.COPY).filesCopied()).as("nothing it could tell apart").isZero();
        src.file("a.txt", "AAAA", T2);
        assertThat(run(SyncMode.COPY).filesCopied()).isEqualTo(1);
        assertThat(dav.content("a.txt")).isEqualTo("AAAA");
    }

    @Test
    void aCopyThatFailedIsTriedAgainByTheNextRun() throws IOException {
        run(SyncMode.COPY);
        src.file("a.txt", "AAAA", T2);
        dav.fail("write", "a.txt", 1, (op, p) -> new PermanentSyncException("quota exceeded"));
        SyncReport failed = run(SyncMode.COPY);
        assertThat(failed.failures()).hasSize(1);
        assertThat(run(SyncMode.COPY).filesCopied()).isEqualTo(1);
        assertThat(dav.content("a.txt")).isEqualTo("AAAA");
    }

    @Test
    void aDamagedMemoryIsSetAsideAndTheRunGoesOn() throws IOException {
        run(SyncMode.COPY);
        Path memory;
        try (Stream<Path> files = Files.walk(state)) {
            memory = files.filter(p -> p.toString().endsWith(".copies")).findFirst().orElseThrow();
        }
        Files.write(memory, new byte[] {'F', 'E', 'R', 'R', 'Y', 'S', 'T', '1', 5, 3}); // cut short
        SyncReport r = run(SyncMode.COPY);
        assertThat(r.failures()).isEmpty();
        assertThat(r.filesCopied()).as("judged by size, as a first run").isZero();
        assertThat(memory.resolveSibling(memory.getFileName() + ".damaged")).exists();
        src.file("a.txt", "AAAA", T2);
        assertThat(run(SyncMode.COPY).filesCopied()).as("remembered again").isEqualTo(1);
    }

    @Test
    void aDryRunRemembersNothing() throws IOException {
        dav.file("a.txt", "aaaa", T2);
        Sync.between(src, dav, opts(SyncMode.COPY).build()).dryRun();
        try (Stream<Path> files = Files.walk(state)) {
            assertThat(files.filter(p -> p.toString().endsWith(".copies"))).isEmpty();
        }
    }

    @Test
    void targetsThatKeepTimesNeedNoMemory() throws IOException {
        MemoryTarget plain = new MemoryTarget("plain");
        Sync.between(src, plain, opts(SyncMode.COPY).build()).run();
        try (Stream<Path> files = Files.walk(state)) {
            assertThat(files.filter(p -> p.toString().endsWith(".copies"))).isEmpty();
        }
    }
}
