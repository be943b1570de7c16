package dev.ferry.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PermissionDeniedException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.Listings;
import dev.ferry.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a real Nextcloud 31 showed: a target must not write to a source (no probe file in the
 * user's trash bin), must refuse a folder the user may not write before sending anything, must
 * say what to do when https meets a plain-http server, and must not ask after every upload.
 */
class ServerMannersTest {

    private static final Instant T = Instant.parse("2024-03-04T05:06:07Z");

    @TempDir
    Path tmp;

    private static SyncTarget open(String location, Map<String, String> extra) throws Exception {
        Map<String, String> o = new TreeMap<>(TestServers.nextcloud().options());
        o.putAll(extra);
        return SyncTargets.load().open(location, o);
    }

    private static String dirOf(String location) {
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static List<String> requests(NextcloudEmulator server, String method) {
        return server.log.stream().filter(l -> l.startsWith(method + " ")).toList();
    }

    private SyncReport run(SyncTarget from, SyncTarget to) throws IOException {
        SyncReport r = Sync.between(from, to, SyncOptions.builder().mode(SyncMode.COPY)
                .stateDirectory(tmp.resolve("state")).build()).run();
        assertThat(r.failures()).isEmpty();
        return r;
    }

    // ---------------------------------------------------------------- a: never write to a source

    @Test
    void aRunWithNextcloudOnlyAsTheSourceWritesNothingAndLeavesTheTrashEmpty() throws Exception {
        NextcloudEmulator server = TestServers.emulator();
        String location = TestServers.nextcloud().freshLocation();
        try (SyncTarget setup = open(location, Map.of())) {
            for (String p : List.of("a.txt", "sub/b.txt")) {
                setup.write(SyncPath.of(p), new ByteArrayInputStream(TestContent.bytes(1, 100)),
                        WriteHints.ofSize(100).withModTime(T));
            }
        }
        server.log.clear();
        try (SyncTarget source = open(location, Map.of());
                SyncTarget local = SyncTargets.load().open(tmp.resolve("copy").toString())) {
            assertThat(source.capabilities().keepsModTime()).isTrue();
            assertThat(source.capabilities().hashes()).containsExactly(HashAlgorithm.SHA1);
            assertThat(run(source, local).filesCopied()).isEqualTo(2);
        }
        assertThat(server.log).as("only reads reached the server")
                .allMatch(l -> l.startsWith("PROPFIND ") || l.startsWith("GET "));
        assertThat(server.trash).as("nothing of this run in the trash bin").noneMatch(t -> t.startsWith(dirOf(location)));
    }

    @Test
    void aGenericServerIsProbedOncePerProcessAndPlaceAndOnlyWhenWritten() throws Exception {
        Path log = TestServers.apacheAccessLogOrSkip();
        TestServers.Server apache = TestServers.apache();
        String location = apache.freshLocation();
        Map<String, String> o = new TreeMap<>(apache.options());
        try (SyncTarget first = SyncTargets.load().open(location, o)) {
            first.makeDirectories(SyncPath.of("d"));
            assertThat(first.capabilities().keepsModTime()).isFalse();
            assertThat(probes(log, location)).as("capabilities() alone writes nothing").isZero();
            first.write(SyncPath.of("d/1.txt"), new ByteArrayInputStream(new byte[] {1}), WriteHints.ofSize(1));
            assertThat(probes(log, location)).as("the first write probes").isEqualTo(1);
        }
        try (SyncTarget second = SyncTargets.load().open(location, o)) {
            second.capabilities();
            second.write(SyncPath.of("d/2.txt"), new ByteArrayInputStream(new byte[] {2}), WriteHints.ofSize(1));
            assertThat(probes(log, location)).as("a second open of the same place does not probe again").isEqualTo(1);
        }
    }

    private static long probes(Path log, String location) throws IOException {
        String dir = "/" + dirOf(location) + "/";
        return Files.readAllLines(log).stream().filter(l -> l.startsWith("PUT " + dir) && l.contains(".probe.")).count();
    }

    // ---------------------------------------------------------------- b: a folder the user may not write

    @Test
    void aReadOnlyFolderOpensAndReadsButRefusesWritesBeforeSendingAny() throws Exception {
        NextcloudEmulator server = TestServers.emulator();
        String location = TestServers.nextcloud().freshLocation();
        try (SyncTarget setup = open(location, Map.of())) {
            setup.write(SyncPath.of("shared.txt"), new ByteArrayInputStream(new byte[] {7}), WriteHints.ofSize(1));
        }
        server.permissions.put(dirOf(location), "SG"); // shared with us, readable, nothing else
        server.log.clear();
        try (SyncTarget ro = open(location, Map.of())) {
            assertThat(Listings.collect(ro, SyncPath.ROOT).names()).containsExactly("shared.txt");
            try (InputStream in = ro.open(SyncPath.of("shared.txt"), 0)) {
                assertThat(in.readAllBytes()).containsExactly(7);
            }
            assertThatThrownBy(() -> ro.write(SyncPath.of("new.txt"), new ByteArrayInputStream(new byte[] {1}),
                    WriteHints.ofSize(1)))
                    .isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining(location.substring(location.indexOf("127.0.0.1")))
                    .hasMessageContaining("missing permission C")
                    .hasMessageContaining("'SG'");
            assertThatThrownBy(() -> ro.makeDirectories(SyncPath.of("sub"))).isInstanceOf(PermissionDeniedException.class);
        } finally {
            server.permissions.remove(dirOf(location));
        }
        assertThat(server.log).as("no write was attempted").allMatch(l -> l.startsWith("PROPFIND ") || l.startsWith("GET "));
    }

    // ---------------------------------------------------------------- c: https against a plain-http server

    /** Apache (a real plain-http server) answers a TLS ClientHello with an HTTP 400, as web servers do. */
    @Test
    void httpsAgainstAPlainHttpServerSaysToSetPlainHttp() throws Exception {
        TestServers.Server apache = TestServers.apacheOrSkip();
        Map<String, String> o = Map.of("password", TestServers.PASSWORD);
        assertThatThrownBy(() -> SyncTargets.load().open("nextcloud://ferry@127.0.0.1:" + apache.port() + "/ferry", o))
                .isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("plainHttp=true")
                .hasMessageContaining("unencrypted")
                .hasMessageNotContaining(TestServers.PASSWORD);
        assertThatThrownBy(() -> SyncTargets.load().open("webdavs://ferry@127.0.0.1:" + apache.port() + "/x", o))
                .isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("webdav://")
                .hasMessageNotContaining(TestServers.PASSWORD);
    }

    // ---------------------------------------------------------------- d: one request per small upload

    @Test
    void aSmallUploadIsOneRequestWhenTheRootExists() throws Exception {
        NextcloudEmulator server = TestServers.emulator();
        String location = TestServers.nextcloud().freshLocation();
        Files.createDirectories(server.filesRoot().resolve(dirOf(location)));
        try (SyncTarget t = open(location, Map.of())) {
            server.log.clear();
            for (int i = 0; i < 3; i++) {
                byte[] data = TestContent.bytes(i, 1000 + i);
                Entry e = t.write(SyncPath.of("f" + i + ".bin"), new ByteArrayInputStream(data),
                        WriteHints.ofSize(data.length).withModTime(T));
                assertThat(e.size()).isEqualTo(data.length);
                assertThat(e.modTime()).contains(T);
                assertThat(e.hash(HashAlgorithm.SHA1)).contains(TestContent.hash(HashAlgorithm.SHA1, data));
                assertThat(e.version()).as("the ETag from the PUT's answer").isEqualTo(t.stat(e.path()).orElseThrow().version());
                server.log.removeIf(l -> l.startsWith("PROPFIND ")); // the check just above
            }
            assertThat(server.log).hasSize(3).allMatch(l -> l.startsWith("PUT "));
        }
    }

    @Test
    void aMissingRootIsAskedAboutOnce() throws Exception {
        NextcloudEmulator server = TestServers.emulator();
        String location = TestServers.nextcloud().freshLocation();
        Path src = Files.createDirectories(tmp.resolve("src"));
        for (int i = 0; i < 3; i++) {
            TestContent.writeFile(src.resolve("f" + i + ".bin"), i, 500);
        }
        server.log.clear();
        try (SyncTarget local = SyncTargets.load().open(src.toString()); SyncTarget nc = open(location, Map.of())) {
            assertThat(run(local, nc).filesCopied()).isEqualTo(3);
        }
        String root = "/remote.php/dav/files/" + TestServers.USER + "/" + dirOf(location);
        assertThat(requests(server, "PROPFIND")).as("PROPFINDs of the missing root")
                .filteredOn(l -> l.startsWith("PROPFIND " + root + "/ ") || l.startsWith("PROPFIND " + root + " "))
                .hasSize(1);
        assertThat(requests(server, "PUT")).hasSize(3);
        assertThat(server.log).as("a PROPFIND, a MKCOL and the three PUTs").hasSize(5);
    }
}
