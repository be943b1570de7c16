package dev.ferry.backend.syncthing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.TransientSyncException;
import dev.ferry.api.WriteHints;
import dev.ferry.testkit.HostileHttpServer;
import dev.ferry.testkit.TestSecrets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fake Syncthing REST API (sync-testkit's {@link HostileHttpServer}) giving what a real node
 * does not: folder paths that are relative ({@code ../../etc}), hold NUL or {@code ~}, or name
 * nothing here; a folder answered under another ID; replies that never end, stall after their
 * headers, stop mid-JSON, are not JSON or are shorter than their {@code Content-Length}. Each is
 * a clear error in bounded memory and time, and nothing is written anywhere.
 */
class SyncthingHostileServerTest {

    private static final String MY_ID = "MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD";
    private static final String KEY = TestSecrets.secret("syncthing-hostile");

    @TempDir
    Path tmp;

    private HostileHttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HostileHttpServer.start();
        server.route("/rest/system/status", HostileHttpServer.json("{\"myID\":\"" + MY_ID + "\"}"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String folder(String id, String path) {
        return "{\"id\":\"" + id + "\",\"label\":\"\",\"path\":\"" + path + "\",\"type\":\"sendreceive\",\"devices\":[],"
                + "\"rescanIntervalS\":3600,\"fsWatcherEnabled\":false,\"fsWatcherDelayS\":10,\"maxConflicts\":10,\"paused\":false}";
    }

    private SyncthingTarget open(String folderId) throws IOException {
        SyncthingNode node = SyncthingNode.builder(server.base()).apiKey(KEY).timeout(Duration.ofSeconds(2)).build();
        return SyncthingTarget.open(node, folderId, SyncPath.ROOT, false, Duration.ofSeconds(5), false);
    }

    @Test
    void folderPathsThatClimbOutOrNameNothingHereAreRefusedAndNothingIsWritten() throws Exception {
        server.route("/rest/config/folders/rel", HostileHttpServer.json(folder("rel", "../../etc")));
        server.route("/rest/config/folders/nul", HostileHttpServer.json(folder("nul", tmp + "/a\\u0000b")));
        server.route("/rest/config/folders/tilde", HostileHttpServer.json(folder("tilde", "~/Sync")));
        server.route("/rest/config/folders/gone", HostileHttpServer.json(folder("gone", tmp + "/not-here")));
        server.route("/rest/config/folders/other", HostileHttpServer.json(folder("../evil", tmp.toString())));
        assertThatThrownBy(() -> open("rel")).isInstanceOf(InvalidTargetException.class).hasMessageContaining("must be absolute");
        assertThatThrownBy(() -> open("nul")).isInstanceOf(InvalidTargetException.class).hasMessageContaining("Nul character")
                .as("shown escaped, never a raw NUL").hasMessageContaining("a\\u0000b").hasMessageNotContaining("\0");
        assertThatThrownBy(() -> open("tilde")).isInstanceOf(InvalidTargetException.class).hasMessageContaining("must be absolute");
        assertThatThrownBy(() -> open("gone")).isInstanceOf(InvalidTargetException.class).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> open("other")).isInstanceOf(InvalidTargetException.class).hasMessageContaining("../evil");
        assertThatThrownBy(() -> open("..")).as("an ID the REST URL would resolve away")
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("folder ID");
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(p -> !p.equals(tmp)).collect(Collectors.toList())).as("nothing created").isEmpty();
        }
    }

    @Test
    @Timeout(60)
    void aReplyThatNeverEndsIsRefusedInBoundedMemoryAndTime() throws Exception {
        server.route("/rest/config/folders/endless", server.endlessJson("{\"devices\":[", "{\"deviceID\":\"" + MY_ID + "\"}"));
        assertThat(server.refusesEndless("Syncthing endless REST reply", () -> open("endless")))
                .isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("more than 16 MiB").hasMessageNotContaining(TestSecrets.MARKER);
    }

    @Test
    @Timeout(30)
    void aReplyThatStallsAfterItsHeadersTimesOut() throws Exception {
        server.route("/rest/config/folders/stall", HostileHttpServer.stall("{\"id\":\"stall\",", Duration.ofSeconds(60)));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> open("stall")).isInstanceOf(TransientSyncException.class).hasMessageContaining("did not answer");
        assertThat(System.nanoTime() - t0).as("the body's deadline, not forever").isLessThan(15_000_000_000L);
    }

    @Test
    void aCutAShortOrANonJsonReplyIsAClearError() throws Exception {
        server.route("/rest/config/folders/cut", HostileHttpServer.json("{\"id\":\"cut\",\"path\":\"/tm"));
        server.route("/rest/config/folders/html", x -> HostileHttpServer.send(x, 200, "text/html",
                "<html><body>login</body></html>".getBytes(StandardCharsets.UTF_8)));
        server.route("/rest/config/folders/short", HostileHttpServer.lyingLength("application/json", 1000,
                folder("short", tmp.toString()).getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> open("cut")).isInstanceOf(TransientSyncException.class).hasMessageContaining("stops mid-JSON");
        assertThatThrownBy(() -> open("html")).isInstanceOf(PermanentSyncException.class).hasMessageContaining("not JSON")
                .hasMessageContaining("<html>");
        assertThatThrownBy(() -> open("short")).isInstanceOf(TransientSyncException.class);
    }

    @Test
    @Timeout(60)
    void aScanReplyThatNeverEndsFailsTheCloseInBoundedTimeAndTheFileStaysInTheFolder() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("folder"));
        server.route("/rest/config/folders/ok", HostileHttpServer.json(folder("ok", folder.toString())));
        server.route("/rest/db/scan", server.endlessJson("[", "\"x\""));
        SyncthingTarget t = open("ok");
        t.write(SyncPath.of("a.txt"), new ByteArrayInputStream(new byte[] {1, 2, 3}), WriteHints.ofSize(3));
        assertThatThrownBy(t::close).isInstanceOf(PermanentSyncException.class).hasMessageContaining("rest/db/scan")
                .hasMessageContaining("more than 16 MiB");
        try (Stream<Path> all = Files.walk(tmp)) {
            List<String> files = all.filter(Files::isRegularFile).map(p -> tmp.relativize(p).toString()).collect(Collectors.toList());
            assertThat(files).containsExactly("folder/a.txt");
        }
    }
}
