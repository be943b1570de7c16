package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Capabilities;
import dev.ferry.api.HashAlgorithm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One-way runs with an object store that keeps times but leaves them out of listings (S3: a
 * HEAD per object): the memory of copies spares the per-file stat for files still as they were
 * left, edits are still seen by time, and downloads take the time from the read itself.
 */
class UnlistedTimesTest {

    static final Instant T1 = Instant.parse("2024-05-01T10:00:00Z");
    static final Instant T2 = Instant.parse("2024-05-02T10:00:00Z");

    @TempDir
    Path state;

    MemoryTarget disk = new MemoryTarget("disk");
    MemoryTarget bucket = new MemoryTarget("bucket");

    @BeforeEach
    void bucketHidesTimes() {
        bucket.capabilities = Capabilities.builder().hashes(Set.of(HashAlgorithm.MD5)).listsModTimes(false).build();
        bucket.hidesTimes = true;
        disk.file("a.txt", "aaaa", T1).file("sub/b.txt", "bbbb", T1).file("sub/c.txt", "cccc", T1);
    }

    SyncReport run(MemoryTarget from, MemoryTarget to, SyncMode mode) throws IOException {
        return Sync.between(from, to, SyncOptions.builder().mode(mode).stateDirectory(state)
                .retry(new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), 0)).build()).run();
    }

    @Test
    void aNoOpRunAsksForNoTimes() throws IOException {
        assertThat(run(disk, bucket, SyncMode.MIRROR).filesCopied()).isEqualTo(3);
        bucket.stats.set(0);
        SyncReport again = run(disk, bucket, SyncMode.MIRROR);
        assertThat(again.filesCopied()).isZero();
        assertThat(again.unchangedFiles()).isEqualTo(3);
        assertThat(bucket.stats.get()).as("stats of the bucket in a no-op run").isZero();
    }

    @Test
    void anEditIsSeenByItsTime() throws IOException {
        run(disk, bucket, SyncMode.MIRROR);
        disk.file("sub/b.txt", "BBBB", T2); // same size, later time
        SyncReport r = run(disk, bucket, SyncMode.MIRROR);
        assertThat(r.filesCopied()).isEqualTo(1);
        assertThat(bucket.content("sub/b.txt")).isEqualTo("BBBB");
        assertThat(bucket.mtime("sub/b.txt")).isEqualTo(T2);
        bucket.stats.set(0);
        assertThat(run(disk, bucket, SyncMode.MIRROR).filesCopied()).isZero();
        assertThat(bucket.stats.get()).isZero();
    }

    @Test
    void anObjectReplacedBehindItsBackIsComparedByTimeAgain() throws IOException {
        run(disk, bucket, SyncMode.MIRROR);
        bucket.file("a.txt", "zzzz", T2); // another writer: new ETag, other time
        bucket.stats.set(0);
        SyncReport r = run(disk, bucket, SyncMode.MIRROR);
        assertThat(r.filesCopied()).isEqualTo(1);
        assertThat(bucket.content("a.txt")).isEqualTo("aaaa");
        assertThat(bucket.stats.get()).as("only the replaced object is asked for its time").isEqualTo(1);
    }

    @Test
    void withoutMemoryEachFileIsStatOnceThenRemembered() throws IOException {
        bucket.file("a.txt", "aaaa", T1).file("sub/b.txt", "bbbb", T1).file("sub/c.txt", "cccc", T2);
        SyncReport first = run(disk, bucket, SyncMode.MIRROR);
        assertThat(first.filesCopied()).as("c.txt differs in time only (no listed hash): copied").isEqualTo(1);
        assertThat(bucket.mtime("sub/c.txt")).isEqualTo(T1);
        assertThat(bucket.stats.get()).as("one stat per file met without memory").isEqualTo(3);
        bucket.stats.set(0);
        assertThat(run(disk, bucket, SyncMode.MIRROR).filesCopied()).isZero();
        assertThat(bucket.stats.get()).as("stats once every pair is remembered").isZero();
    }

    @Test
    void aDownloadTakesTheTimeFromTheReadNotAStat() throws IOException {
        MemoryTarget empty = new MemoryTarget("empty");
        run(disk, bucket, SyncMode.MIRROR);
        bucket.stats.set(0);
        SyncReport r = run(bucket, empty, SyncMode.MIRROR);
        assertThat(r.filesCopied()).isEqualTo(3);
        assertThat(bucket.stats.get()).as("stats of the source").isZero();
        assertThat(bucket.describedReads.get()).isEqualTo(3);
        assertThat(empty.mtime("sub/b.txt")).isEqualTo(T1);
        assertThat(empty.content("sub/b.txt")).isEqualTo("bbbb");
        // And back the other way, nothing to do, with no stat either.
        assertThat(run(bucket, empty, SyncMode.MIRROR).filesCopied()).isZero();
        assertThat(bucket.stats.get()).isZero();
    }

    @Test
    void aTwoWayConflictIsWonByTheNewerEvenWhenItsListingHasNoTime() throws IOException {
        SyncOptions twoWay = SyncOptions.builder().mode(SyncMode.TWO_WAY).conflictPolicy(ConflictPolicy.NEWEST)
                .stateDirectory(state).retry(new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), 0)).build();
        Sync.between(disk, bucket, twoWay).run();
        disk.file("a.txt", "disk edit", T1.plusSeconds(60));
        bucket.file("a.txt", "bucket edit, later", T2); // the newer, but its listing shows no time
        SyncReport r = Sync.between(disk, bucket, twoWay).run();
        assertThat(r.failures()).isEmpty();
        assertThat(disk.content("a.txt")).isEqualTo("bucket edit, later");
        assertThat(bucket.content("a.txt")).isEqualTo("bucket edit, later");
    }
}
