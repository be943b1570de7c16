package dev.ferry.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.AuthenticationException;
import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.InsufficientStorageException;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.RecursiveLister;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.api.TransientSyncException;
import dev.ferry.api.WriteHints;
import dev.ferry.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Nextcloud's dialect, as the emulator sees it on the wire: what each request carried. */
class NextcloudDialectTest {

    private static final Instant T = Instant.parse("2023-05-06T07:08:09.987Z");
    private static final int MIB = 1 << 20;

    private NextcloudEmulator server;
    private SyncTarget target;

    @BeforeEach
    void open() throws Exception {
        server = TestServers.emulator();
        target = TestServers.nextcloud().freshTarget(Map.of("chunkSize", String.valueOf(5 * MIB)));
        server.log.clear();
        server.lockedMoves.set(0);
        server.quota.set(Long.MAX_VALUE);
    }

    @AfterEach
    void close() throws IOException {
        server.lockedMoves.set(0);
        server.quota.set(Long.MAX_VALUE);
        target.close();
    }

    private List<String> requests(String method) {
        List<String> out = new ArrayList<>();
        for (String line : server.log) {
            if (line.startsWith(method + " ")) {
                out.add(line);
            }
        }
        return out;
    }

    @Test
    void smallWriteSendsMtimeAndChecksumAndListsThemBack() throws IOException {
        byte[] data = TestContent.bytes(1, 5000);
        String sha1 = TestContent.hash(HashAlgorithm.SHA1, data);
        Entry written = target.write(SyncPath.of("a/b.txt"), new ByteArrayInputStream(data),
                WriteHints.ofSize(data.length).withModTime(T));

        assertThat(requests("PUT")).singleElement().asString()
                .contains("X-OC-Mtime=" + T.getEpochSecond()).contains("OC-Checksum=SHA1:" + sha1);
        assertThat(written.modTime()).contains(Instant.ofEpochSecond(T.getEpochSecond()));
        assertThat(written.hash(HashAlgorithm.SHA1)).contains(sha1);
        assertThat(target.capabilities().keepsModTime()).isTrue();
        assertThat(target.capabilities().hashes()).containsExactly(HashAlgorithm.SHA1);
        assertThat(requests("PROPFIND")).noneMatch(l -> l.contains("Depth=infinity"));
    }

    @Test
    void largeWriteUsesChunkedUploadV2() throws IOException {
        byte[] data = TestContent.bytes(2, 12 * MIB + 17);
        Entry written = target.write(SyncPath.of("big.bin"), new ByteArrayInputStream(data),
                WriteHints.ofSize(data.length).withModTime(T));

        List<String> mkcol = requests("MKCOL").stream().filter(l -> l.contains("/uploads/")).toList();
        assertThat(mkcol).singleElement().asString().contains("Destination=http://127.0.0.1:");
        List<String> chunks = requests("PUT");
        assertThat(chunks).hasSize(3).allMatch(l -> l.contains("OC-Total-Length=" + data.length) && l.contains("Destination="));
        assertThat(chunks.get(0)).matches("PUT /remote.php/dav/uploads/ferry/[^/]+/00001 .*");
        assertThat(requests("MOVE")).singleElement().asString().contains("/.file")
                .contains("X-OC-Mtime=" + T.getEpochSecond())
                .contains("OC-Checksum=SHA1:" + TestContent.hash(HashAlgorithm.SHA1, data));
        assertThat(written.size()).isEqualTo(data.length);
        assertThat(written.modTime()).contains(Instant.ofEpochSecond(T.getEpochSecond()));
        try (InputStream in = target.open(SyncPath.of("big.bin"), 0)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThat(uploadFolders()).as("the upload folder is gone").isZero();
    }

    @Test
    void unknownLengthIsChunkedToo() throws IOException {
        byte[] data = TestContent.bytes(3, 6 * MIB);
        Entry written = target.write(SyncPath.of("u.bin"), new ByteArrayInputStream(data), WriteHints.NONE);
        assertThat(written.size()).isEqualTo(data.length);
        assertThat(requests("PUT")).hasSize(2);
    }

    @Test
    void lockedAssemblyIsRetriedWithBackoff() throws IOException {
        server.lockedMoves.set(2);
        byte[] data = TestContent.bytes(4, 6 * MIB);
        target.write(SyncPath.of("l.bin"), new ByteArrayInputStream(data), WriteHints.ofSize(data.length));
        assertThat(requests("MOVE")).hasSize(3);
        assertThat(target.stat(SyncPath.of("l.bin")).orElseThrow().size()).isEqualTo(data.length);
    }

    @Test
    void lockHeldTooLongIsTransientAndLeavesNothing() throws IOException {
        server.lockedMoves.set(1000);
        byte[] data = TestContent.bytes(5, 6 * MIB);
        assertThatThrownBy(() -> target.write(SyncPath.of("l.bin"), new ByteArrayInputStream(data), WriteHints.ofSize(data.length)))
                .isInstanceOf(TransientSyncException.class).hasMessageContaining("423");
        assertThat(target.stat(SyncPath.of("l.bin"))).isEmpty();
        assertThat(uploadFolders()).isZero();
    }

    @Test
    void overQuotaIsInsufficientStorage() throws IOException {
        server.quota.set(1000);
        assertThatThrownBy(() -> target.write(SyncPath.of("q.bin"), new ByteArrayInputStream(new byte[5000]), WriteHints.ofSize(5000)))
                .isInstanceOf(InsufficientStorageException.class).hasMessageContaining("507").hasMessageContaining("ferry");
        byte[] big = new byte[6 * MIB];
        assertThatThrownBy(() -> target.write(SyncPath.of("q2.bin"), new ByteArrayInputStream(big), WriteHints.ofSize(big.length)))
                .isInstanceOf(InsufficientStorageException.class);
        assertThat(target.stat(SyncPath.of("q.bin"))).isEmpty();
        assertThat(target.stat(SyncPath.of("q2.bin"))).isEmpty();
        assertThat(uploadFolders()).isZero();
    }

    @Test
    void preconditionsAreHonouredByTheServer() throws IOException {
        Entry first = target.write(SyncPath.of("p.txt"), new ByteArrayInputStream(new byte[] {1}), WriteHints.ofSize(1));
        assertThat(target.capabilities().conditionalWrites()).isTrue();
        assertThatThrownBy(() -> target.write(SyncPath.of("p.txt"), new ByteArrayInputStream(new byte[] {2}),
                WriteHints.ofSize(1).withPrecondition(WriteHints.Precondition.absent())))
                .isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> target.write(SyncPath.of("p.txt"), new ByteArrayInputStream(new byte[] {3}),
                WriteHints.ofSize(1).withPrecondition(WriteHints.Precondition.version("\"not-it\""))))
                .isInstanceOf(PreconditionFailedException.class);
        target.write(SyncPath.of("p.txt"), new ByteArrayInputStream(new byte[] {4}),
                WriteHints.ofSize(1).withPrecondition(WriteHints.Precondition.version(first.version().orElseThrow())));
        try (InputStream in = target.open(SyncPath.of("p.txt"), 0)) {
            assertThat(in.readAllBytes()).containsExactly(4);
        }
    }

    @Test
    void wrongPasswordIsAnAuthenticationErrorNamingUserAndUrlNeverThePassword() throws Exception {
        TestServers.Server s = TestServers.nextcloud();
        Map<String, String> o = new TreeMap<>(s.options());
        o.put("password", "wrong-Pa55word");
        assertThatThrownBy(() -> SyncTargets.load().open(s.freshLocation(), o))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("401").hasMessageContaining("'ferry'").hasMessageContaining("http://127.0.0.1:")
                .hasMessageNotContaining("wrong-Pa55word");
        assertThat(target.description()).doesNotContain(TestServers.PASSWORD);
        assertThat(target.toString()).doesNotContain(TestServers.PASSWORD);
    }

    @Test
    void recursiveListingWalksTheTreeWithDepthOneOnly() throws IOException {
        for (String p : List.of("x/1.txt", "x/y/2.txt", "x/y/z/3.txt", "w/4.txt", "5.txt")) {
            target.write(SyncPath.of(p), new ByteArrayInputStream(new byte[] {7}), WriteHints.ofSize(1));
        }
        server.log.clear();
        List<String> seen = new ArrayList<>();
        target.ability(RecursiveLister.class).orElseThrow().listRecursive(SyncPath.ROOT, new ListingSink() {
            @Override
            public void entry(Entry entry) {
                seen.add(entry.path() + (entry.isDirectory() ? "/" : ""));
            }

            @Override
            public void notice(ListingNotice notice) {
                seen.add("notice " + notice);
            }
        });
        assertThat(seen).containsExactlyInAnyOrder("x/", "x/1.txt", "x/y/", "x/y/2.txt", "x/y/z/", "x/y/z/3.txt",
                "w/", "w/4.txt", "5.txt");
        assertThat(requests("PROPFIND")).hasSize(5).allMatch(l -> l.contains("Depth=1"));
    }

    private long uploadFolders() throws IOException {
        try (var s = Files.list(server.filesRoot().resolveSibling("uploads"))) {
            return s.count();
        }
    }
}
