package dev.ferry.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The write-path race, driven deterministically: the content given to {@code write} edits (or
 * creates) the destination through a second target once half of it has been read, i.e. while
 * the new version is on its way. The write must then fail with
 * {@link PreconditionFailedException}, the user's bytes must be at the path, and nothing
 * temporary may be left on the server. A write whose precondition still holds goes through.
 */
class WriteRaceTest {

    private static final int MIB = 1 << 20;
    private static final byte[] USER = "the user's own edit, made during the upload".getBytes(StandardCharsets.UTF_8);
    private static final SyncPath X = SyncPath.of("d/x.bin");

    private static SyncTarget open(TestServers.Server s, String location, Map<String, String> extra) throws IOException {
        Map<String, String> o = new TreeMap<>(s.options());
        o.putAll(extra);
        return SyncTargets.load().open(location, o);
    }

    private static Path onDisk(TestServers.Server s, String location) {
        return s.root().resolve(location.substring(location.lastIndexOf('/') + 1));
    }

    /**
     * One race: {@code writer} sends {@code size} bytes to X under {@code unchanged(listed)} (or
     * {@code absent()}) while {@code user} rewrites (or creates) X half-way.
     */
    private void race(TestServers.Server s, Map<String, String> extra, int size, boolean absent, boolean sha1Known)
            throws Exception {
        String location = s.freshLocation();
        try (SyncTarget writer = open(s, location, extra); SyncTarget user = open(s, location, Map.of())) {
            byte[] data = TestContent.bytes(size, size);
            WriteHints hints = WriteHints.ofSize(size);
            if (sha1Known) {
                hints = hints.withHash(HashAlgorithm.SHA1, TestContent.hash(HashAlgorithm.SHA1, data));
            }
            if (absent) {
                user.makeDirectories(X.parent());
                hints = hints.withPrecondition(WriteHints.Precondition.absent());
            } else {
                Entry listed = user.write(X, new ByteArrayInputStream(new byte[] {1, 2, 3}), WriteHints.ofSize(3));
                hints = hints.withPrecondition(WriteHints.Precondition.unchanged(listed));
            }
            InputStream content = TestContent.halfwayThen(data, () -> user.write(X, new ByteArrayInputStream(USER), WriteHints.ofSize(USER.length)));
            WriteHints h = hints;
            assertThatThrownBy(() -> writer.write(X, content, h))
                    .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("d/x.bin").hasMessageContaining("kept");
            try (InputStream in = user.open(X, 0)) {
                assertThat(in.readAllBytes()).as("the user's edit is at the path").isEqualTo(USER);
            }
            assertThat(serverNames(onDisk(s, location).resolve("d"))).as("nothing temporary left").containsExactly("x.bin");

            // The same write against the version now there goes through.
            Entry now = user.stat(X).orElseThrow();
            Entry written = writer.write(X, new ByteArrayInputStream(data),
                    WriteHints.ofSize(size).withPrecondition(WriteHints.Precondition.unchanged(now)));
            assertThat(written.size()).isEqualTo(size);
            try (InputStream in = user.open(X, 0)) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
        }
    }

    private static List<String> serverNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static long uploadFolders() throws Exception {
        try (Stream<Path> s = Files.list(TestServers.nextcloud().root().resolveSibling("uploads"))) {
            return s.count();
        }
    }

    // ---------------------------------------------------------------- Apache mod_dav: MOVE with If / Overwrite: F

    @Test
    void apacheKeepsAnEditMadeDuringTheUpload() throws Exception {
        race(TestServers.apacheOrSkip(), Map.of(), 300_000, false, false);
    }

    @Test
    void apacheKeepsAFileCreatedDuringTheUpload() throws Exception {
        race(TestServers.apacheOrSkip(), Map.of(), 300_000, true, false);
    }

    // ---------------------------------------------------------------- rclone serve: If refused, PROPFIND before MOVE

    @Test
    void rcloneServeKeepsAnEditMadeDuringTheUpload() throws Exception {
        race(TestServers.rcloneOrSkip(), Map.of(), 300_000, false, false);
    }

    // ---------------------------------------------------------------- Nextcloud emulator: If-Match, If-None-Match, Overwrite: F

    @Test
    void nextcloudStreamedPutKeepsAnEditMadeDuringTheUpload() throws Exception {
        race(TestServers.nextcloud(), Map.of("chunkSize", String.valueOf(5 * MIB)), 2 * MIB, false, true);
    }

    @Test
    void nextcloudHashedFirstPutKeepsAnEditMadeWhileReading() throws Exception {
        race(TestServers.nextcloud(), Map.of(), 200_000, false, false);
    }

    @Test
    void nextcloudStreamedPutKeepsAFileCreatedDuringTheUpload() throws Exception {
        race(TestServers.nextcloud(), Map.of("chunkSize", String.valueOf(5 * MIB)), 2 * MIB, true, true);
    }

    @Test
    void nextcloudChunkedUploadKeepsAnEditMadeDuringTheUpload() throws Exception {
        long before = uploadFolders();
        race(TestServers.nextcloud(), Map.of("chunkSize", String.valueOf(5 * MIB)), 11 * MIB, false, false);
        assertThat(uploadFolders()).as("no upload folder left").isEqualTo(before);
    }

    @Test
    void nextcloudResumableWriteChecksAtComplete() throws Exception {
        TestServers.Server s = TestServers.nextcloud();
        String location = s.freshLocation();
        long before = uploadFolders();
        try (SyncTarget writer = open(s, location, Map.of("chunkSize", String.valueOf(5 * MIB)));
                SyncTarget user = open(s, location, Map.of())) {
            Entry listed = user.write(X, new ByteArrayInputStream(new byte[] {1, 2, 3}), WriteHints.ofSize(3));
            byte[] data = TestContent.bytes(41, 6 * MIB);
            ResumableWriter.PartialWrite w = writer.ability(ResumableWriter.class).orElseThrow().begin(X,
                    WriteHints.ofSize(data.length).withPrecondition(WriteHints.Precondition.unchanged(listed)));
            w.append(TestContent.halfwayThen(data, () -> user.write(X, new ByteArrayInputStream(USER), WriteHints.ofSize(USER.length))));
            assertThatThrownBy(w::complete).isInstanceOf(PreconditionFailedException.class).hasMessageContaining("kept");
            try (InputStream in = user.open(X, 0)) {
                assertThat(in.readAllBytes()).isEqualTo(USER);
            }
        }
        assertThat(uploadFolders()).as("the refused upload's folder is gone").isEqualTo(before);
    }

    @Test
    void nextcloudChunkedUploadKeepsAFileCreatedDuringTheUpload() throws Exception {
        long before = uploadFolders();
        race(TestServers.nextcloud(), Map.of("chunkSize", String.valueOf(5 * MIB)), 11 * MIB, true, false);
        assertThat(uploadFolders()).as("no upload folder left").isEqualTo(before);
    }
}
