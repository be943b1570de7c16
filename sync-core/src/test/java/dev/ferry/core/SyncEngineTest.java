package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermissionDeniedException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.TransientSyncException;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SyncEngineTest {

    static final Instant T1 = Instant.parse("2024-05-01T10:00:00.123456789Z");
    static final Instant T2 = Instant.parse("2024-06-01T10:00:00Z");
    static final RetryPolicy FAST_RETRY = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), 100);

    MemoryTarget src = new MemoryTarget("src");
    MemoryTarget dst = new MemoryTarget("dst");

    SyncOptions.Builder opts(SyncMode mode) {
        return SyncOptions.builder().mode(mode).retry(FAST_RETRY);
    }

    SyncReport run(SyncOptions o) throws IOException {
        return Sync.between(src, dst, o).run();
    }

    @Test
    void copiesNewTreeThenSecondRunIsNoOp() throws IOException {
        src.file("a.txt", "alpha", T1).file("d/b.txt", "beta", T1).file("d/e/c.txt", "gamma", T1).dir("empty");
        SyncReport r = run(opts(SyncMode.COPY).build());
        assertThat(r.succeeded()).isTrue();
        assertThat(r.filesCopied()).isEqualTo(3);
        assertThat(r.bytesCopied()).isEqualTo(14);
        assertThat(dst.content("d/e/c.txt")).isEqualTo("gamma");
        assertThat(dst.mtime("d/e/c.txt")).isEqualTo(T1);
        assertThat(dst.nodes).containsKey(SyncPath.of("empty"));

        SyncPlan again = Sync.between(src, dst, opts(SyncMode.MIRROR).build()).dryRun();
        assertThat(again.actions()).isEmpty();
        assertThat(again.unchangedFiles()).isEqualTo(3);
        assertThat(again.isInSync()).isTrue();
    }

    @Test
    void dryRunTouchesNothingAndListsActions() throws IOException {
        src.file("new.txt", "n", T1);
        dst.file("extra.txt", "x", T1);
        SyncPlan plan = Sync.between(src, dst, opts(SyncMode.MIRROR).build()).dryRun();
        assertThat(plan.actions()).extracting(a -> a.getClass().getSimpleName() + " " + a.path())
                .containsExactly("CopyFile new.txt", "DeleteFile extra.txt");
        assertThat(dst.content("extra.txt")).isEqualTo("x");
        assertThat(dst.content("new.txt")).isNull();
        assertThat(dst.writes.get()).isZero();
    }

    @Test
    void copyModeNeverDeletesMirrorDoes() throws IOException {
        src.file("keep.txt", "k", T1);
        dst.file("extra.txt", "x", T1).file("old/deep/y.txt", "y", T1);
        assertThat(run(opts(SyncMode.COPY).build()).filesDeleted()).isZero();
        assertThat(dst.content("extra.txt")).isEqualTo("x");

        SyncReport r = run(opts(SyncMode.MIRROR).build());
        assertThat(r.filesDeleted()).isEqualTo(2);
        assertThat(r.directoriesDeleted()).isEqualTo(2);
        assertThat(dst.nodes.keySet()).extracting(SyncPath::toString).containsExactly("keep.txt");
    }

    @Test
    void changeDetectionBySizeTimeAndHash() throws IOException {
        dst.listsHashes = true; // one side lists hashes: comparing them costs one read
        src.file("size.txt", "longer content", T1).file("same.txt", "same", T2).file("diff.txt", "AAAA", T2)
                .file("equal.txt", "eq", T1);
        dst.file("size.txt", "short", T1).file("same.txt", "same", T1).file("diff.txt", "BBBB", T1)
                .file("equal.txt", "eq", T1);
        SyncPlan plan = Sync.between(src, dst, opts(SyncMode.COPY).build()).dryRun();
        assertThat(plan.actions()).extracting(a -> a.path() + "=" + describe(a))
                .containsExactly("diff.txt=copy HASH_DIFFERS", "same.txt=touch", "size.txt=copy SIZE_DIFFERS");
        assertThat(plan.unchangedFiles()).isEqualTo(1);

        SyncReport r = Sync.between(src, dst, opts(SyncMode.COPY).build()).execute(plan);
        assertThat(r.modTimesUpdated()).isEqualTo(1);
        assertThat(r.filesCopied()).isEqualTo(2);
        assertThat(dst.mtime("same.txt")).isEqualTo(T2);
        assertThat(dst.content("diff.txt")).isEqualTo("AAAA");
    }

    @Test
    void timesLeftOutOfListingsAreFetchedWithStatOnlyWhenSizesMatch() throws IOException {
        MemoryTarget objectStore = new MemoryTarget("s3ish") {
            @Override
            public void list(SyncPath directory, ListingSink sink) throws IOException {
                super.list(directory, new ListingSink() {
                    @Override
                    public void entry(Entry e) throws IOException {
                        sink.entry(e.isFile() ? e.toBuilder().modTime(null).build() : e);
                    }

                    @Override
                    public void notice(ListingNotice notice) {
                        sink.notice(notice);
                    }
                });
            }
        };
        src.file("same.txt", "same", T1).file("newer.txt", "abcd", T2).file("bigger.txt", "longer", T1);
        objectStore.file("same.txt", "same", T1).file("newer.txt", "wxyz", T1).file("bigger.txt", "short", T1);
        SyncPlan plan = Sync.between(src, objectStore, opts(SyncMode.COPY).build()).dryRun();
        assertThat(plan.actions()).extracting(a -> a.path() + " " + describe(a))
                .containsExactly("bigger.txt copy SIZE_DIFFERS", "newer.txt copy MODTIME_DIFFERS");
        assertThat(plan.unchangedFiles()).isEqualTo(1);
        assertThat(objectStore.stats.get()).isEqualTo(2);

        // Downloading from it, a copy still gets the stored time (asked with stat), not "now".
        objectStore.file("only-there.txt", "o", T2);
        SyncReport down = Sync.between(objectStore, dst, opts(SyncMode.COPY).build()).run();
        assertThat(down.failures()).isEmpty();
        assertThat(dst.mtime("only-there.txt")).isEqualTo(T2);
    }

    @Test
    void whenBothSidesWouldHaveToReadTheFileATimeChangeMeansCopy() throws IOException {
        src.file("same.txt", "same", T2);
        dst.file("same.txt", "same", T1);
        SyncPlan plan = Sync.between(src, dst, opts(SyncMode.COPY).build()).dryRun();
        assertThat(plan.actions()).extracting(SyncEngineTest::describe).containsExactly("copy MODTIME_DIFFERS");
        assertThat(Sync.between(src, dst, opts(SyncMode.COPY).compare(CompareMode.CHECKSUM).build()).dryRun()
                .actions()).isEmpty();
    }

    @Test
    void withoutCommonHashATimeChangeMeansCopy() throws IOException {
        dst.capabilities = Capabilities.builder().build();
        src.file("same.txt", "same", T2);
        dst.file("same.txt", "same", T1);
        SyncPlan plan = Sync.between(src, dst, opts(SyncMode.COPY).build()).dryRun();
        assertThat(plan.actions()).extracting(SyncEngineTest::describe).containsExactly("copy MODTIME_DIFFERS");
    }

    @Test
    void modifyWindowAndPrecisionTolerateCoarseTimes() throws IOException {
        dst.capabilities = Capabilities.builder().modTimePrecision(Duration.ofSeconds(2)).build();
        src.file("a.txt", "a", Instant.parse("2024-01-01T00:00:01.900Z"));
        dst.file("a.txt", "a", Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(Sync.between(src, dst, opts(SyncMode.COPY).build()).dryRun().actions()).isEmpty();
        SyncOptions strict = opts(SyncMode.COPY).modifyWindow(Duration.ofMillis(1)).compare(CompareMode.SIZE_AND_MODTIME)
                .build();
        assertThat(Sync.between(src, dst, strict).dryRun().actions()).hasSize(1);
    }

    @Test
    void destinationThatCannotKeepTimesComparesBySize() throws IOException {
        dst.capabilities = Capabilities.builder().keepsModTime(false).build();
        src.file("a.txt", "same", T2).file("b.txt", "new content", T2);
        dst.file("a.txt", "same", T1).file("b.txt", "old", T1);
        SyncPlan plan = Sync.between(src, dst, opts(SyncMode.COPY).build()).dryRun();
        assertThat(plan.actions()).extracting(a -> a.path().toString()).containsExactly("b.txt");
    }

    @Test
    void checksumModeAndSizeOnly() throws IOException {
        src.file("a.txt", "AAAA", T1).file("b.txt", "BBBB", T2);
        dst.file("a.txt", "XXXX", T1).file("b.txt", "BBBB", T1);
        assertThat(Sync.between(src, dst, opts(SyncMode.COPY).compare(CompareMode.CHECKSUM).build()).dryRun()
                .actions()).extracting(SyncEngineTest::describe).containsExactly("copy HASH_DIFFERS");
        assertThat(Sync.between(src, dst, opts(SyncMode.COPY).compare(CompareMode.SIZE_ONLY).build()).dryRun()
                .actions()).isEmpty();
    }

    @Test
    void filtersIncludeExcludeSizeAndAge() throws IOException {
        Instant now = Instant.now();
        src.file("a.jpg", "jpeg", now.minusSeconds(7200)).file("b.txt", "text", now.minusSeconds(7200))
                .file("sub/c.jpg", "jpeg2", now.minusSeconds(7200)).file("big.jpg", "x".repeat(100), now.minusSeconds(7200))
                .file("fresh.jpg", "new", now);
        SyncOptions o = opts(SyncMode.COPY).filter(Filter.builder().include("*.jpg").maxSize(50)
                .minAge(Duration.ofMinutes(10)).build()).build();
        run(o);
        assertThat(dst.nodes.keySet()).extracting(SyncPath::toString).containsExactlyInAnyOrder("a.jpg", "sub", "sub/c.jpg");
    }

    @Test
    void excludedFilesOnDestinationAreNotDeletedNorTheirDirectories() throws IOException {
        src.file("a.txt", "a", T1);
        dst.file("a.txt", "a", T1).file("cache/x.tmp", "t", T1).file("gone/y.txt", "y", T1);
        SyncOptions o = opts(SyncMode.MIRROR).filter(Filter.builder().exclude("*.tmp").build()).build();
        SyncReport r = run(o);
        assertThat(r.succeeded()).isTrue();
        assertThat(dst.nodes.keySet()).extracting(SyncPath::toString)
                .containsExactlyInAnyOrder("a.txt", "cache", "cache/x.tmp");
    }

    @Test
    void excludedDirectoryIsNotEvenListed() throws IOException {
        src.file("node_modules/pkg/i.js", "js", T1).file("app.js", "app", T1);
        src.fail("list", "node_modules", 100, (op, p) -> new IOException("must not be listed"));
        SyncReport r = run(opts(SyncMode.MIRROR).filter(Filter.builder().exclude("node_modules/**").build()).build());
        assertThat(r.failures()).isEmpty();
        assertThat(dst.content("app.js")).isEqualTo("app");
        assertThat(dst.nodes).doesNotContainKey(SyncPath.of("node_modules"));
    }

    @Test
    void deleteLimitWithholdsAllDeletionsButStillCopies() throws IOException {
        src.file("new.txt", "n", T1).file("k.txt", "k", T1);
        dst.file("k.txt", "k", T1).file("x1", "1", T1).file("x2", "2", T1).file("x3", "3", T1);
        SyncReport r = run(opts(SyncMode.MIRROR).maxDelete(2).build());
        assertThat(r.safetyStop()).hasValueSatisfying(s -> assertThat(s).contains("would delete 3").contains("2"));
        assertThat(r.succeeded()).isFalse();
        assertThat(dst.content("x1")).isEqualTo("1");
        assertThat(dst.content("new.txt")).isEqualTo("n");

        SyncReport pct = run(opts(SyncMode.MIRROR).maxDeletePercent(50).build());
        assertThat(pct.safetyStop()).hasValueSatisfying(s -> assertThat(s).contains("50%"));
        assertThat(dst.content("x3")).isEqualTo("3");
        assertThat(run(opts(SyncMode.MIRROR).maxDelete(3).build()).filesDeleted()).isEqualTo(3);
    }

    @Test
    void emptySourceNeverWipesTheDestination() throws IOException {
        dst.file("precious.txt", "p", T1);
        SyncReport r = run(opts(SyncMode.MIRROR).build());
        assertThat(r.safetyStop()).hasValueSatisfying(s -> assertThat(s).contains("source is empty"));
        assertThat(dst.content("precious.txt")).isEqualTo("p");
    }

    @Test
    void sourceListingErrorWithholdsDeletions() throws IOException {
        src.file("ok/a.txt", "a", T1).file("broken/b.txt", "b", T1);
        dst.file("ok/a.txt", "a", T1).file("broken/b.txt", "b", T1).file("stale.txt", "s", T1);
        src.fail("list", "broken", 100, (op, p) -> new PermissionDeniedException("permission denied: broken"));
        SyncReport r = run(opts(SyncMode.MIRROR).build());
        assertThat(r.failures()).extracting(SyncFailure::path).containsExactly("broken");
        assertThat(r.safetyStop()).hasValueSatisfying(s -> assertThat(s).contains("listing error"));
        assertThat(dst.content("broken/b.txt")).isEqualTo("b");
        assertThat(dst.content("stale.txt")).isEqualTo("s");
    }

    @Test
    void missingSourceIsAnErrorNotAnEmptyTree() {
        src.exists = false;
        dst.file("precious.txt", "p", T1);
        assertThatThrownBy(() -> run(opts(SyncMode.MIRROR).build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("source does not exist")
                .hasMessageContaining("memory://src");
        assertThat(dst.content("precious.txt")).isEqualTo("p");
    }

    @Test
    void missingDestinationIsCreated() throws IOException {
        dst.exists = false;
        src.file("a.txt", "a", T1);
        SyncPlan plan = Sync.between(src, dst, opts(SyncMode.MIRROR).build()).dryRun();
        assertThat(plan.actions().get(0)).isEqualTo(new SyncAction.MakeDirectory(SyncPath.ROOT));
        assertThat(Sync.between(src, dst, opts(SyncMode.MIRROR).build()).execute(plan).filesCopied()).isEqualTo(1);
    }

    @Test
    void nestedTargetsAreRefused() {
        assertThatThrownBy(() -> Planner.checkNotNested("file:///data/photos/", "file:///data/photos/backup"))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("inside the source");
        assertThatThrownBy(() -> Planner.checkNotNested("file:///data/photos/2024", "file:///data/photos"))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("inside the destination");
        assertThatThrownBy(() -> Planner.checkNotNested("/data/x", "file:///data/x/"))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("same");
        assertThatCode(() -> Planner.checkNotNested("file:///data/photos", "file:///data/photos2"));
        assertThatCode(() -> Planner.checkNotNested("s3://bucket/a", "s3://other/a"));
    }

    private static void assertThatCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
        org.assertj.core.api.Assertions.assertThatCode(c).doesNotThrowAnyException();
    }

    @Test
    void transientFailuresAreRetriedAndCounted() throws IOException {
        src.file("a.txt", "a", T1).file("b.txt", "b", T1);
        dst.fail("write", "a.txt", 2, (op, p) -> new SocketException("connection reset"));
        src.fail("list", "", 1, (op, p) -> new TransientSyncException("503 Slow Down"));
        List<String> retries = new CopyOnWriteArrayList<>();
        SyncReport r = run(opts(SyncMode.COPY).listener(new SyncListener() {
            @Override
            public void retrying(String operation, int attempt, Duration delay, Exception cause) {
                retries.add(operation + "#" + attempt);
            }
        }).build());
        assertThat(r.succeeded()).isTrue();
        assertThat(r.retries()).isEqualTo(3);
        assertThat(retries).containsExactlyInAnyOrder("list source #1", "copy a.txt#1", "copy a.txt#2");
        assertThat(dst.content("a.txt")).isEqualTo("a");
    }

    @Test
    void transientFailureBeyondAttemptsIsReportedAsRetryable() throws IOException {
        src.file("a.txt", "a", T1);
        dst.fail("write", "a.txt", 10, (op, p) -> new TransientSyncException("503 from server"));
        SyncReport r = run(opts(SyncMode.COPY).build());
        assertThat(r.failures()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("a.txt");
            assertThat(f.retryable()).isTrue();
            assertThat(f.message()).contains("503");
        });
        assertThat(r.retries()).isEqualTo(2);
    }

    @Test
    void runRetryBudgetStopsARetryStorm() throws IOException {
        for (int i = 0; i < 20; i++) {
            src.file("f" + i, "x", T1);
            dst.fail("write", "f" + i, 100, (op, p) -> new TransientSyncException("down"));
        }
        SyncOptions o = opts(SyncMode.COPY).retry(new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(1), 7))
                .build();
        SyncReport r = run(o);
        assertThat(r.failures()).hasSize(20);
        assertThat(r.retries()).isEqualTo(7);
    }

    @Test
    void unreadableFileIsReportedAndTheRunGoesOn() throws IOException {
        src.file("a.txt", "a", T1).file("secret.txt", "s", T1).file("z.txt", "z", T1);
        src.fail("open", "secret.txt", 100, (op, p) -> new PermissionDeniedException("permission denied: secret.txt"));
        SyncReport r = run(opts(SyncMode.COPY).build());
        assertThat(r.filesCopied()).isEqualTo(2);
        assertThat(r.failures()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("secret.txt");
            assertThat(f.stage()).isEqualTo(SyncFailure.Stage.COPY);
            assertThat(f.retryable()).isFalse();
        });
        assertThat(r.retries()).isZero();
        assertThat(dst.content("secret.txt")).isNull();
    }

    @Test
    void sourceChangingDuringCopyLeavesNothingHalfWritten() throws IOException {
        src.file("growing.log", "0123456789", T1);
        MemoryTarget changing = new MemoryTarget("changing") {
            @Override
            public InputStream open(SyncPath path, long offset) {
                // Rewritten, shorter, between the listing and the read: a stat now says so too.
                file("growing.log", "0123", T2);
                return new java.io.ByteArrayInputStream("0123".getBytes());
            }
        };
        changing.nodes.putAll(src.nodes);
        SyncReport r = Sync.between(changing, dst, opts(SyncMode.COPY).build()).run();
        assertThat(r.failures()).singleElement().satisfies(f -> assertThat(f.message()).contains("changed while"));
        assertThat(r.retries()).as("a changed source is left to the next run").isZero();
        assertThat(dst.content("growing.log")).isNull();
    }

    @Test
    void aReadCutShortOfAnUnchangedSourceIsRetried() throws IOException {
        src.file("cut.bin", "0123456789", T1);
        java.util.concurrent.atomic.AtomicInteger opens = new java.util.concurrent.atomic.AtomicInteger();
        MemoryTarget cutOnce = new MemoryTarget("cut") {
            @Override
            public InputStream open(SyncPath path, long offset) throws IOException {
                // The first read ends early like a cut FTP data connection; the file is unchanged.
                return opens.getAndIncrement() == 0 ? new java.io.ByteArrayInputStream("0123".getBytes())
                        : super.open(path, offset);
            }
        };
        cutOnce.nodes.putAll(src.nodes);
        SyncReport r = Sync.between(cutOnce, dst, opts(SyncMode.COPY).build()).run();
        assertThat(r.failures()).isEmpty();
        assertThat(r.retries()).isEqualTo(1);
        assertThat(dst.content("cut.bin")).isEqualTo("0123456789");
    }

    @Test
    void hashMismatchAfterTransferIsRetriedThenTheBadCopyRemoved() throws IOException {
        src.file("a.txt", "payload", T1);
        MemoryTarget corrupting = new MemoryTarget("s3ish") {
            @Override
            public Entry write(SyncPath path, InputStream content, WriteHints hints) throws IOException {
                Entry e = super.write(path, content, hints);
                return e.toBuilder().hash(HashAlgorithm.MD5, "0".repeat(32)).build();
            }
        };
        corrupting.capabilities = Capabilities.builder().hashes(Set.of(HashAlgorithm.MD5)).build();
        // No Hasher ability: the hash comes back with the write, as from an S3 ETag.
        dev.ferry.api.SyncTarget noHasher = new dev.ferry.backend.support.ForwardingTarget(corrupting) { };
        SyncReport r = Sync.between(src, noHasher, opts(SyncMode.COPY).build()).run();
        assertThat(r.failures()).singleElement().satisfies(f -> assertThat(f.message()).contains("MD5 mismatch"));
        assertThat(r.retries()).isEqualTo(2);
        assertThat(corrupting.writes.get()).isEqualTo(3);
        assertThat(corrupting.content("a.txt")).isNull();
    }

    @Test
    void hostileListingIsRefusedAndNothingIsWritten() throws IOException {
        MemoryTarget hostile = new MemoryTarget("hostile") {
            @Override
            public void list(SyncPath directory, ListingSink sink) throws IOException {
                if (directory.isRoot()) {
                    sink.entry(Entry.file(SyncPath.of("other/dir/evil.txt"), 1).modTime(T1).build());
                    sink.notice(ListingNotice.hostileName(SyncPath.ROOT, "../../etc/passwd", "'..' segment not allowed"));
                    sink.entry(Entry.file(SyncPath.of("fine.txt"), 1).modTime(T1).build());
                }
            }

            @Override
            public InputStream open(SyncPath path, long offset) {
                return new java.io.ByteArrayInputStream("x".getBytes());
            }
        };
        SyncReport r = Sync.between(hostile, dst, opts(SyncMode.COPY).build()).run();
        assertThat(r.failures()).extracting(SyncFailure::path).containsExactlyInAnyOrder("", "../../etc/passwd");
        assertThat(r.failures()).allSatisfy(f -> assertThat(f.stage()).isEqualTo(SyncFailure.Stage.LIST));
        assertThat(dst.nodes.keySet()).extracting(SyncPath::toString).containsExactly("fine.txt");
    }

    @Test
    void directoryAndFileSwapInMirror() throws IOException {
        src.file("x/inner.txt", "i", T1).file("y", "now a file", T1);
        dst.file("x", "was a file", T1).file("y/old.txt", "o", T1);
        SyncReport r = run(opts(SyncMode.MIRROR).build());
        assertThat(r.failures()).isEmpty();
        assertThat(dst.content("x/inner.txt")).isEqualTo("i");
        assertThat(dst.content("y")).isEqualTo("now a file");
        assertThat(dst.nodes).doesNotContainKey(SyncPath.of("y/old.txt"));
    }

    @Test
    void directoryInTheWayIsAFailureInCopyMode() throws IOException {
        src.file("y", "file", T1);
        dst.file("y/old.txt", "o", T1);
        SyncReport r = run(opts(SyncMode.COPY).build());
        assertThat(r.failures()).singleElement().satisfies(f -> assertThat(f.message()).contains("directory stands"));
        assertThat(dst.content("y/old.txt")).isEqualTo("o");
    }

    @Test
    void caseInsensitiveDestinationMatchesNamesWithoutDeletingThem() throws IOException {
        dst.capabilities = Capabilities.builder().caseSensitive(false).hashes(Set.of(HashAlgorithm.MD5)).build();
        src.file("Photo.JPG", "img", T1).file("a.txt", "1", T1).file("A.TXT", "2", T1);
        dst.file("photo.jpg", "img", T1);
        SyncPlan plan = Sync.between(src, dst, opts(SyncMode.MIRROR).build()).dryRun();
        assertThat(plan.actions()).noneMatch(a -> a instanceof SyncAction.DeleteFile);
        assertThat(plan.unchangedFiles()).isEqualTo(1);
        assertThat(plan.scanFailures()).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("differs only in case"));
    }

    @Test
    void planOrdersDirectoriesFirstAndDeletesDeepestFirst() throws IOException {
        src.file("n/m/new.txt", "n", T1);
        dst.file("a/b/c/old.txt", "o", T1).file("a/top.txt", "t", T1);
        SyncPlan plan = Sync.between(src, dst, opts(SyncMode.MIRROR).build()).dryRun();
        assertThat(plan.actions()).extracting(a -> describe(a) + " " + a.path()).containsExactly(
                "mkdir n", "mkdir n/m", "copy MISSING n/m/new.txt",
                "delete a/b/c/old.txt", "delete a/top.txt",
                "rmdir a/b/c", "rmdir a/b", "rmdir a");
        SyncReport r = Sync.between(src, dst, opts(SyncMode.MIRROR).build()).execute(plan);
        assertThat(r.succeeded()).isTrue();
        assertThat(dst.nodes.keySet()).extracting(SyncPath::toString).containsExactly("n", "n/m", "n/m/new.txt");
    }

    @Test
    void listenerSeesEveryByteAndAction() throws IOException {
        src.file("a", "12345", T1).file("b", "678", T1);
        java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
        run(opts(SyncMode.COPY).listener(new SyncListener() {
            @Override
            public void transferred(SyncAction action, long n) {
                bytes.addAndGet(n);
            }

            @Override
            public void finished(SyncAction action) {
                finished.incrementAndGet();
            }
        }).build());
        assertThat(bytes.get()).isEqualTo(8);
        assertThat(finished.get()).isEqualTo(2);
    }

    @Test
    void bandwidthLimitSlowsTransfers() throws IOException {
        src.file("big", "x".repeat(600_000), T1);
        long t0 = System.nanoTime();
        run(opts(SyncMode.COPY).bandwidthLimit(1_000_000).build());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // 600 kB at 1 MB/s: at least ~0.5 s once the first 64 KiB slice is through.
        assertThat(ms).isGreaterThanOrEqualTo(450);
    }

    static String describe(SyncAction a) {
        if (a instanceof SyncAction.CopyFile c) {
            return "copy " + c.reason();
        }
        if (a instanceof SyncAction.UpdateModTime) {
            return "touch";
        }
        if (a instanceof SyncAction.MakeDirectory) {
            return "mkdir";
        }
        if (a instanceof SyncAction.DeleteFile) {
            return "delete";
        }
        return "rmdir";
    }
}
