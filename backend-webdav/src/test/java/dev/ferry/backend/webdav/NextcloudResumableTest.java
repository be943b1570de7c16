package dev.ferry.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Resumable writes through Nextcloud's chunk folders: an upload cut off half-way is continued by
 * a new target (as after a restart) from the chunks the server holds, and nothing is visible at
 * the path until it completes.
 */
class NextcloudResumableTest {

    private static final int MIB = 1 << 20;
    private static final Instant T = Instant.parse("2020-02-02T02:02:02Z");

    private static SyncTarget open(String location) throws Exception {
        return dev.ferry.core.SyncTargets.load().open(location,
                new java.util.TreeMap<>(Map.of("password", TestServers.PASSWORD, "plainHttp", "true",
                        "chunkSize", String.valueOf(5 * MIB), "lockRetry", "50ms")));
    }

    @Test
    void anUploadCutOffIsContinuedByANewProcessFromWhatTheServerHolds() throws Exception {
        String location = TestServers.nextcloud().freshLocation();
        byte[] data = TestContent.bytes(31, 12 * MIB + 5);
        WriteHints hints = WriteHints.ofSize(data.length).withModTime(T);
        SyncPath path = SyncPath.of("media/video.mp4");
        String token;
        try (SyncTarget first = open(location)) {
            ResumableWriter rw = first.ability(ResumableWriter.class).orElseThrow();
            ResumableWriter.PartialWrite w = rw.begin(path, hints);
            token = w.token();
            InputStream cut = TestContent.failingAfter(new ByteArrayInputStream(data), 7L * MIB);
            assertThatThrownBy(() -> w.append(cut)).isInstanceOf(IOException.class);
            assertThat(w.committedBytes()).as("only whole chunks are held").isEqualTo(5L * MIB);
            assertThat(first.stat(path)).as("nothing visible before complete").isEmpty();
        }
        try (SyncTarget second = open(location)) {
            ResumableWriter rw = second.ability(ResumableWriter.class).orElseThrow();
            ResumableWriter.PartialWrite w = rw.resume(token, hints).orElseThrow();
            long offset = w.committedBytes();
            w.append(new ByteArrayInputStream(Arrays.copyOfRange(data, (int) offset, data.length)));
            Entry done = w.complete();
            assertThat(done.size()).isEqualTo(data.length);
            assertThat(done.modTime()).contains(T);
            try (InputStream in = second.open(path, 0)) {
                assertThat(TestContent.sha256(in)).isEqualTo(TestContent.sha256(new ByteArrayInputStream(data)));
            }
            assertThat(rw.resume(token, hints)).as("the upload folder is gone once complete").isEmpty();
        }
    }

    @Test
    void anUninterruptedResumableWriteStoresTheSha1() throws Exception {
        try (SyncTarget t = open(TestServers.nextcloud().freshLocation())) {
            byte[] data = TestContent.bytes(32, 9 * MIB);
            ResumableWriter.PartialWrite w = t.ability(ResumableWriter.class).orElseThrow()
                    .begin(SyncPath.of("nine.bin"), WriteHints.ofSize(data.length));
            w.append(new ByteArrayInputStream(data));
            assertThat(w.complete().hash(HashAlgorithm.SHA1)).contains(TestContent.hash(HashAlgorithm.SHA1, data));
        }
    }

    @Test
    void completingWithMissingBytesPublishesNothingAndAbortCleansUp() throws Exception {
        try (SyncTarget t = open(TestServers.nextcloud().freshLocation())) {
            ResumableWriter rw = t.ability(ResumableWriter.class).orElseThrow();
            ResumableWriter.PartialWrite w = rw.begin(SyncPath.of("short.bin"), WriteHints.ofSize(11 * MIB));
            assertThatThrownBy(() -> w.append(new ByteArrayInputStream(new byte[5 * MIB + 100])))
                    .isInstanceOf(IOException.class).hasMessageContaining("ended after");
            assertThat(w.committedBytes()).isEqualTo(5L * MIB);
            assertThatThrownBy(w::complete).isInstanceOf(PermanentSyncException.class).hasMessageContaining("nothing was published");
            assertThat(t.stat(SyncPath.of("short.bin"))).isEmpty();
            w.abort();
            assertThat(rw.resume(w.token(), WriteHints.ofSize(11 * MIB))).isEmpty();
            assertThat(rw.resume("not-a-token", WriteHints.NONE)).isEmpty();
        }
    }

    @Test
    void chunkingOffMeansNoResumableWrites() throws Exception {
        TestServers.Server s = TestServers.nextcloud();
        try (SyncTarget t = s.freshTarget(Map.of("chunkSize", "0"))) {
            assertThat(t.ability(ResumableWriter.class)).isEmpty();
        }
    }

    @Test
    void uploadFoldersLeftByAnotherProcessAreSweptOnceStale() throws Exception {
        java.nio.file.Path uploads = TestServers.nextcloud().root().resolveSibling("uploads");
        java.nio.file.Path stale = uploads.resolve("ferry-0123abcd");
        java.nio.file.Path recent = uploads.resolve("ferry-0456cdef");
        java.nio.file.Path foreign = uploads.resolve("web-4711");
        for (java.nio.file.Path dir : new java.nio.file.Path[] {stale, recent, foreign}) {
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.write(dir.resolve("00001"), new byte[1000]);
        }
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(3 * 3600));
        java.nio.file.Files.setLastModifiedTime(stale, old);
        java.nio.file.Files.setLastModifiedTime(foreign, old);
        try (SyncTarget t = open(TestServers.nextcloud().freshLocation())) {
            byte[] data = TestContent.bytes(33, 6 * MIB);
            t.write(SyncPath.of("six.bin"), new ByteArrayInputStream(data), WriteHints.ofSize(data.length)); // chunked
        }
        assertThat(stale).as("Ferry's, untouched for 3 h > tempMaxAge 1 h").doesNotExist();
        assertThat(recent).as("Ferry's, fresh: perhaps being continued").exists();
        assertThat(foreign).as("not Ferry's").exists();
    }
}
