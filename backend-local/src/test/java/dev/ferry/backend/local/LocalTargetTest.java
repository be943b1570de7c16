package dev.ferry.backend.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.Capabilities;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PermissionDeniedException;
import dev.ferry.api.SyncPath;
import dev.ferry.backend.support.TemporaryNames;
import dev.ferry.api.WriteHints;
import dev.ferry.testkit.Listings;
import dev.ferry.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What only the local backend does: symlinks, names on disk, temporary files, the probe, errors. */
class LocalTargetTest {

    private static final LocalTargetOptions FOLLOW = LocalTargetOptions.DEFAULTS.withFollowSymlinks(true);

    /** For calls expected to fail before listing anything. */
    private static final ListingSink NOOP = new ListingSink() {
        @Override
        public void entry(Entry entry) {}

        @Override
        public void notice(ListingNotice notice) {}
    };

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;

    @BeforeEach
    void directories() throws IOException {
        root = Files.createDirectory(tmp.resolve("root"));
        outside = Files.createDirectory(tmp.resolve("outside"));
    }

    // ------------------------------------------------------------------ symbolic links

    @ParameterizedTest(name = "followSymlinks={0}")
    @ValueSource(booleans = {false, true})
    void symlinkedDirectoryCannotCarryAnythingOutOfTheRoot(boolean follow) throws IOException {
        Files.createSymbolicLink(root.resolve("evil"), outside);
        Files.writeString(outside.resolve("victim"), "precious");
        LocalTarget t = new LocalTarget(root, LocalTargetOptions.DEFAULTS.withFollowSymlinks(follow));
        t.write(path("inside.txt"), stream("inside"), WriteHints.NONE);

        List<ThrowingCall> attempts = List.of(
                () -> t.write(path("evil/passwd"), stream("owned"), WriteHints.NONE),
                () -> t.write(path("evil/new/dir/file"), stream("owned"), WriteHints.NONE),
                () -> t.delete(path("evil/victim")),
                () -> t.makeDirectories(path("evil/made")),
                () -> t.copy(path("inside.txt"), path("evil/copied")),
                () -> t.move(path("inside.txt"), path("evil/moved")),
                () -> t.append(path("evil/victim"), 8, stream("!")),
                () -> t.setModTime(path("evil/victim"), Instant.EPOCH),
                () -> t.open(path("evil/victim"), 0).close(),
                () -> t.hash(path("evil/victim"), HashAlgorithm.MD5),
                () -> t.list(path("evil"), NOOP),
                () -> t.stat(path("evil/victim")));
        for (ThrowingCall attempt : attempts) {
            assertThatThrownBy(attempt::call)
                    .isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("refusing to follow symlink leaving the root")
                    .hasMessageContaining(root.toString());
        }
        assertThat(t.stat(path("evil"))).as("the link itself is not there for this target").isEmpty();
        assertThat(names(outside)).containsExactly("victim");
        assertThat(Files.readString(outside.resolve("victim"))).isEqualTo("precious");
        assertThat(Files.getLastModifiedTime(outside.resolve("victim")).toInstant()).isNotEqualTo(Instant.EPOCH);
        assertThat(Files.isSymbolicLink(root.resolve("evil"))).isTrue();
        assertThat(Files.readString(root.resolve("inside.txt"))).as("the refused move left the source").isEqualTo("inside");
    }

    @Test
    void symlinksAreSkippedWithANoticeByDefault() throws IOException {
        Files.createDirectory(root.resolve("real"));
        Files.writeString(root.resolve("real/f.txt"), "data");
        Files.createSymbolicLink(root.resolve("dirlink"), Path.of("real"));
        Files.createSymbolicLink(root.resolve("filelink"), Path.of("real/f.txt"));
        LocalTarget t = new LocalTarget(root);

        Listings.Result listing = Listings.collect(t, SyncPath.ROOT);
        assertThat(listing.names()).containsExactly("real");
        assertThat(listing.notices()).extracting(ListingNotice::location).containsExactlyInAnyOrder("dirlink", "filelink");
        assertThat(listing.notices()).allSatisfy(n -> {
            assertThat(n.reason()).isEqualTo(ListingNotice.Reason.SYMLINK);
            assertThat(n.reason().isError()).isFalse();
            assertThat(n.detail()).contains("not followed");
        });
        assertThat(t.stat(path("filelink"))).isEmpty();
        assertThatThrownBy(() -> t.list(path("dirlink"), NOOP))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("followSymlinks");
    }

    @Test
    void followSymlinksFollowsLinksThatStayInsideTheRoot() throws IOException {
        Files.createDirectory(root.resolve("real"));
        Files.writeString(root.resolve("real/f.txt"), "data");
        Files.createSymbolicLink(root.resolve("dirlink"), Path.of("real"));
        Files.createSymbolicLink(root.resolve("filelink"), root.resolve("real/f.txt")); // absolute, still inside
        LocalTarget t = new LocalTarget(root, FOLLOW);

        Listings.Result listing = Listings.collect(t, SyncPath.ROOT);
        assertThat(listing.names()).containsExactly("dirlink", "filelink", "real");
        assertThat(listing.notices()).isEmpty();
        assertThat(listing.entry("dirlink").orElseThrow().isDirectory()).isTrue();
        assertThat(listing.entry("filelink").orElseThrow().size()).isEqualTo(4);
        assertThat(Listings.collect(t, "dirlink").names()).containsExactly("f.txt");
        try (InputStream in = t.open(path("filelink"), 0)) {
            assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("data");
        }

        t.write(path("dirlink/g.txt"), stream("through the link"), WriteHints.NONE);
        assertThat(Files.readString(root.resolve("real/g.txt"))).isEqualTo("through the link");
    }

    @Test
    void followSymlinksStillRefusesOutsideBrokenAndLoopingLinks() throws IOException {
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.createSymbolicLink(root.resolve("outfile"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("broken"), Path.of("does-not-exist"));
        Files.createDirectory(root.resolve("sub"));
        Files.createSymbolicLink(root.resolve("sub/up"), Path.of(".."));
        LocalTarget t = new LocalTarget(root, FOLLOW);

        Listings.Result listing = Listings.collect(t, SyncPath.ROOT);
        assertThat(listing.names()).containsExactly("sub");
        assertThat(listing.notices()).allMatch(n -> n.reason() == ListingNotice.Reason.SYMLINK);
        assertThat(detailOf(listing, "out")).contains("outside the root");
        assertThat(detailOf(listing, "outfile")).contains("outside the root");
        assertThat(detailOf(listing, "broken")).contains("broken");
        Listings.Result sub = Listings.collect(t, "sub");
        assertThat(sub.entries()).isEmpty();
        assertThat(detailOf(sub, "sub/up")).contains("loop");

        assertThatThrownBy(() -> t.open(path("outfile"), 0)).isInstanceOf(PermissionDeniedException.class);
        assertThat(t.stat(path("outfile"))).isEmpty();
    }

    @Test
    void followSymlinksStopsAtMutualLinkLoops() throws IOException {
        Files.createDirectories(root.resolve("a"));
        Files.createDirectories(root.resolve("b"));
        Files.createSymbolicLink(root.resolve("a/toB"), Path.of("../b"));
        Files.createSymbolicLink(root.resolve("b/toA"), Path.of("../a"));
        LocalTarget t = new LocalTarget(root, FOLLOW);

        assertThat(Listings.collect(t, "a").names()).as("a link to a sibling is followed").containsExactly("toB");
        Listings.Result viaLink = Listings.collect(t, "a/toB");
        assertThat(viaLink.entries()).as("b, reached through a/toB, must not lead back to a").isEmpty();
        assertThat(detailOf(viaLink, "a/toB/toA")).contains("loop");
    }

    // ------------------------------------------------------------------ names on disk

    @Test
    void backslashNameOnDiskIsAHostileNameNoticeNotAnEntry() throws IOException {
        assumeThat(isWindows()).isFalse();
        Files.createFile(root.resolve("a\\b"));
        Files.createFile(root.resolve("ok"));
        Listings.Result listing = Listings.collect(new LocalTarget(root), SyncPath.ROOT);
        assertThat(listing.names()).containsExactly("ok");
        assertThat(listing.notices()).singleElement().satisfies(n -> {
            assertThat(n.reason()).isEqualTo(ListingNotice.Reason.HOSTILE_NAME);
            assertThat(n.reason().isError()).isTrue();
            assertThat(n.location()).isEqualTo("a\\b");
            assertThat(n.detail()).contains("backslash");
        });
    }

    @Test
    void nameNotDecodableInThePlatformCharsetIsAnUnrepresentableNameNotice() throws Exception {
        assumeThat(isWindows()).isFalse();
        // Java cannot create a name that is not valid in its own charset; a shell can (byte 0xFF).
        Process p = new ProcessBuilder("sh", "-c", "f=$(printf 'bad\\377name'); : > \"$f\"")
                .directory(root.toFile()).redirectErrorStream(true).start();
        assumeThat(p.waitFor()).as("sh could create the file").isZero();
        assumeThat(System.getProperty("sun.jnu.encoding", "")).isEqualToIgnoringCase("UTF-8");

        Listings.Result listing = Listings.collect(new LocalTarget(root), SyncPath.ROOT);
        assertThat(listing.entries()).isEmpty();
        assertThat(listing.notices()).singleElement().satisfies(n -> {
            // Was HOSTILE_NAME: such a name is not an attack but one this process cannot spell.
            assertThat(n.reason()).isEqualTo(ListingNotice.Reason.UNREPRESENTABLE_NAME);
            assertThat(n.detail()).contains("charset");
        });
    }

    // ------------------------------------------------------------------ temporary files

    @Test
    void temporaryFilesAreHiddenAndSweptOnceUntouchedForTempMaxAge() throws Exception {
        String name = ".ferry-abcdefghijkl.photo.jpg.partial";
        assertThat(TemporaryNames.isTemporary(name)).isTrue();
        Path temp = root.resolve(name);
        Files.writeString(temp, "half a photo");
        // A write in flight sets the final (old) mtime just before its rename: that alone must
        // not get it swept.
        Files.setLastModifiedTime(temp, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        Files.writeString(root.resolve("visible.txt"), "v");
        LocalTarget t = new LocalTarget(root, LocalTargetOptions.DEFAULTS.withTempMaxAge(Duration.ofMillis(300)));

        Listings.Result first = Listings.collect(t, SyncPath.ROOT);
        assertThat(first.names()).containsExactly("visible.txt");
        assertThat(first.notices()).as("hidden silently").isEmpty();
        assertThat(temp).as("recently changed, so not swept despite its old mtime").exists();
        assertThat(t.stat(path(name))).isEmpty();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.exists(temp) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            Listings.collect(t, SyncPath.ROOT);
        }
        assertThat(temp).as("swept once untouched for longer than tempMaxAge").doesNotExist();
        assertThat(root.resolve("visible.txt")).exists();
    }

    @Test
    void freshTemporaryFilesAreNotSweptWithTheDefaultAge() throws IOException {
        Path temp = root.resolve(TemporaryNames.newName("in-flight.bin"));
        Files.writeString(temp, "uploading");
        Files.setLastModifiedTime(temp, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        Listings.Result listing = Listings.collect(new LocalTarget(root), SyncPath.ROOT);
        assertThat(listing.entries()).isEmpty();
        assertThat(temp).exists();
    }

    @Test
    void temporaryFileNamesAreReservedForWrites() throws IOException {
        LocalTarget t = new LocalTarget(root);
        String name = ".ferry-abcdefghijkl.x.partial";
        assertThatThrownBy(() -> t.write(path(name), stream("x"), WriteHints.NONE))
                .isInstanceOf(PermanentSyncException.class).hasMessageContaining("temporary");
        assertThat(names(root)).isEmpty();
    }

    @Test
    void failedWritesLeaveNoTemporaryFileOnDisk() throws IOException {
        LocalTarget t = new LocalTarget(root);
        assertThatThrownBy(() -> t.write(path("a.bin"),
                TestContent.failingAfter(TestContent.stream(1, 1_000_000), 300_000), WriteHints.NONE))
                .isInstanceOf(IOException.class).hasMessageContaining("injected");
        assertThatThrownBy(() -> t.write(path("b.bin"), TestContent.stream(1, 10), WriteHints.ofSize(11)))
                .isInstanceOf(PermanentSyncException.class).hasMessageContaining("10 bytes but 11");
        assertThatThrownBy(() -> t.write(path("c.bin"), TestContent.stream(1, 200_000), WriteHints.ofSize(100)))
                .isInstanceOf(PermanentSyncException.class).hasMessageContaining("more than 100");
        assertThat(names(root)).as("nothing on disk, temporary files included").isEmpty();
    }

    @Test
    void sourceFailureIsPassedOnUnchanged() {
        LocalTarget t = new LocalTarget(root);
        IOException fromSource = new NotFoundException("the source file vanished");
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw fromSource;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw fromSource;
            }
        };
        assertThatThrownBy(() -> t.write(path("x"), failing, WriteHints.NONE)).isSameAs(fromSource);
    }

    // ------------------------------------------------------------------ capabilities, root, options

    @Test
    void probeMeasuresASanePrecisionAndLeavesNothingBehind() throws IOException {
        LocalTarget t = new LocalTarget(root);
        Capabilities caps = t.capabilities();
        assertThat(caps.keepsModTime()).isTrue();
        assertThat(caps.modTimePrecision()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(caps.hashes()).containsExactlyInAnyOrder(HashAlgorithm.values());
        assertThat(caps.maxNameLength()).isEqualTo(255);
        assertThat(t.capabilities()).as("measured once").isSameAs(caps);
        assertThat(names(root)).as("probe file removed").isEmpty();
        String type = Files.getFileStore(root).type();
        if (List.of("ext4", "xfs", "btrfs", "tmpfs").contains(type)) {
            assertThat(caps.caseSensitive()).as("on %s", type).isTrue();
        }

        Instant t0 = Instant.parse("2020-02-02T02:02:02.987654321Z");
        Entry e = t.write(path("f"), stream("x"), WriteHints.NONE.withModTime(t0));
        Instant onDisk = Files.getLastModifiedTime(root.resolve("f")).toInstant();
        assertThat(e.modTime()).contains(onDisk);
        assertThat(Duration.between(t0, onDisk).abs()).isLessThanOrEqualTo(caps.modTimePrecision());
        assertThat(e.modTimePrecision()).isEqualTo(caps.modTimePrecision());
    }

    @Test
    void missingRootIsNotFoundUntilAWriteCreatesIt() throws IOException {
        Path missing = tmp.resolve("not/yet");
        LocalTarget t = new LocalTarget(missing);
        assertThatThrownBy(() -> Listings.collect(t, SyncPath.ROOT))
                .isInstanceOf(NotFoundException.class).hasMessageContaining(missing.toString());
        assertThat(t.stat(SyncPath.ROOT)).isEmpty();
        assertThat(t.capabilities().modTimePrecision()).isPositive();
        assertThat(missing).doesNotExist();

        t.write(path("a.txt"), stream("a"), WriteHints.NONE);
        assertThat(Listings.collect(t, SyncPath.ROOT).names()).containsExactly("a.txt");
        assertThat(t.stat(SyncPath.ROOT).orElseThrow().isDirectory()).isTrue();
        assertThat(t.description()).isEqualTo(missing.toUri().toString()).isEqualTo(t.toString());
    }

    @Test
    void fsyncOptionWorksForEveryWritingOperation() throws IOException {
        LocalTarget t = new LocalTarget(root, LocalTargetOptions.DEFAULTS.withFsync(true));
        Instant mtime = Instant.parse("2022-06-01T12:00:00Z");
        t.write(path("d/a.txt"), stream("hello"), WriteHints.ofSize(5).withModTime(mtime));
        t.append(path("d/a.txt"), 5, stream(" world"));
        t.copy(path("d/a.txt"), path("d/b.txt"));
        t.move(path("d/b.txt"), path("e/c.txt"));
        t.makeDirectories(path("f/g"));
        assertThat(Files.readString(root.resolve("d/a.txt"))).isEqualTo("hello world");
        assertThat(Files.readString(root.resolve("e/c.txt"))).isEqualTo("hello world");
        assertThat(root.resolve("d/b.txt")).doesNotExist();
        assertThat(root.resolve("f/g")).isDirectory();
        assertThat(names(root.resolve("d"))).containsExactly("a.txt");
    }

    @Test
    void copyKeepsTheSourceModificationTime() throws IOException {
        LocalTarget t = new LocalTarget(root);
        Instant mtime = Instant.parse("2019-05-05T05:05:05Z");
        t.write(path("a"), stream("aaa"), WriteHints.NONE.withModTime(mtime));
        Entry copy = t.copy(path("a"), path("sub/b"));
        assertThat(copy.modTime()).contains(mtime);
        assertThat(copy.size()).isEqualTo(3);
    }

    // ------------------------------------------------------------------ errors

    @Test
    void errorsAreClassifiedAndNameThePathAndTheRoot() throws IOException {
        LocalTarget t = new LocalTarget(root);
        Files.createDirectories(root.resolve("dir/child"));
        Files.writeString(root.resolve("file"), "f");

        assertThatThrownBy(() -> t.write(path("dir"), stream("x"), WriteHints.NONE))
                .isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("'dir'").hasMessageContaining(root.toString()).hasMessageContaining("directory is in the way");
        assertThatThrownBy(() -> t.write(path("file/x"), stream("x"), WriteHints.NONE))
                .isInstanceOf(PermanentSyncException.class).hasMessageContaining("'file/x'");
        assertThatThrownBy(() -> t.makeDirectories(path("file")))
                .isInstanceOf(PermanentSyncException.class).hasMessageContaining("in the way");
        assertThatThrownBy(() -> t.delete(path("dir")))
                .isInstanceOf(PermanentSyncException.class).hasMessageContaining("not empty").hasMessageContaining(root.toString());
        assertThatThrownBy(() -> t.open(path("dir"), 0))
                .isInstanceOf(PermanentSyncException.class).hasMessageContaining("directory");
        assertThatThrownBy(() -> t.append(path("missing"), 0, stream("x"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> t.setModTime(path("missing"), Instant.EPOCH)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> t.hash(path("missing"), HashAlgorithm.SHA1)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> t.copy(path("missing"), path("x"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> t.move(path("dir"), path("dir/child/inside"))).isInstanceOf(PermanentSyncException.class);
        assertThatThrownBy(() -> t.list(path("file"), NOOP)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> t.open(path("file"), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(t.stat(path("file/x"))).isEmpty();
        t.delete(path("file/x")); // nothing there: a file stands where the parent should be
        assertThat(Files.readString(root.resolve("file"))).isEqualTo("f");
    }

    @Test
    void unreadableDirectoryIsPermissionDenied() throws IOException {
        assumeThat(isWindows()).isFalse();
        assumeThat(System.getProperty("user.name")).as("root reads everything").isNotEqualTo("root");
        Path locked = Files.createDirectory(root.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            LocalTarget t = new LocalTarget(root);
            assertThatThrownBy(() -> t.list(path("locked"), NOOP))
                    .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("'locked'");
            assertThat(Listings.collect(t, SyncPath.ROOT).names()).containsExactly("locked");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void moveRenamesDirectoriesToo() throws IOException {
        LocalTarget t = new LocalTarget(root);
        t.write(path("a/one.txt"), stream("1"), WriteHints.NONE);
        Entry moved = t.move(path("a"), path("b/renamed"));
        assertThat(moved.isDirectory()).isTrue();
        assertThat(Files.readString(root.resolve("b/renamed/one.txt"))).isEqualTo("1");
        assertThat(root.resolve("a")).doesNotExist();
    }

    // ------------------------------------------------------------------ helpers

    @FunctionalInterface
    private interface ThrowingCall {
        void call() throws Exception;
    }

    private static SyncPath path(String p) {
        return SyncPath.of(p);
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(UTF_8));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static String detailOf(Listings.Result listing, String location) {
        return listing.notices().stream().filter(n -> n.location().equals(location)).findFirst()
                .orElseThrow(() -> new AssertionError("no notice for " + location + " in " + listing.notices()))
                .detail();
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
