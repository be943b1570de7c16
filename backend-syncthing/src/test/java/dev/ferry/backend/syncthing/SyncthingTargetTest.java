package dev.ferry.backend.syncthing;

import static dev.ferry.backend.syncthing.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.AuthenticationException;
import dev.ferry.api.Entry;
import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.TargetSpec;
import dev.ferry.api.WriteHints;
import dev.ferry.backend.local.LocalTarget;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** syncthing:// between two live nodes: A (written through Ferry, watcher off) and B (its peer). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncthingTargetTest {

    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static TestNodes nodes;
    private static SyncthingProcess a;
    private static SyncthingProcess b;
    private static Path dirA;
    private static Path dirB;

    @BeforeAll
    static void start() throws Exception {
        nodes = new TestNodes();
        a = nodes.start("a");
        b = nodes.start("b");
        TestNodes.pair(a, b);
        dirA = Files.createDirectories(nodes.root.resolve("a-shared"));
        dirB = Files.createDirectories(nodes.root.resolve("b-shared"));
        // No watcher on A: what reaches B got there by Ferry's own scan.
        a.node().addFolder(FolderConfig.builder("shared", dirA).share(b.deviceId()).fsWatcher(false).rescanIntervalS(0).build());
        b.node().addFolder(FolderConfig.builder("shared", dirB).share(a.deviceId()).fsWatcherDelayS(1).build());
        await("A and B connected", CONVERGE, () -> a.node().connections().get(b.deviceId()).connected());
    }

    @AfterAll
    static void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    private static SyncthingTarget target(SyncthingProcess p, String location, String... options) throws IOException {
        Map<String, String> o = new HashMap<>();
        o.put("apikey", p.apiKey());
        for (int i = 0; i + 1 < options.length; i += 2) {
            o.put(options[i], options[i + 1]);
        }
        return (SyncthingTarget) new SyncthingTargetProvider().open(new TargetSpec(
                URI.create("syncthing://" + p.guiUri().getRawAuthority() + "/" + location), o));
    }

    @Test
    @Order(1)
    void anEngineRunReachesThePeerWithContentAndTime() throws Exception {
        Path src = Files.createDirectories(nodes.root.resolve("source"));
        Instant mtime = Instant.parse("2022-05-06T07:08:09.123456Z");
        Files.createDirectories(src.resolve("docs"));
        for (String name : List.of("one.txt", "docs/two.txt")) {
            Files.writeString(src.resolve(name), "content of " + name);
            Files.setLastModifiedTime(src.resolve(name), FileTime.from(mtime));
        }
        SyncthingTarget dest = target(a, "shared", "waitForPeers", "true", "peerTimeout", "60s");
        SyncReport report;
        try (LocalTarget source = new LocalTarget(src)) {
            report = Sync.between(source, dest, SyncOptions.builder().mode(SyncMode.MIRROR).build()).run();
        }
        dest.close();
        assertThat(report.succeeded()).as(report.toString()).isTrue();
        assertThat(report.filesCopied()).isEqualTo(2);
        assertThat(dest.lastPeerReport().orElseThrow().complete()).isTrue();
        for (String name : List.of("one.txt", "docs/two.txt")) {
            assertThat(Files.readString(dirB.resolve(name))).isEqualTo("content of " + name);
            assertThat(Files.getLastModifiedTime(dirB.resolve(name)).toInstant()).isEqualTo(mtime);
        }
        assertThat(dirA.resolve(".stfolder")).as("a mirror run leaves Syncthing's marker alone").exists();
    }

    @Test
    @Order(2)
    void syncthingsOwnFilesAreHiddenAndUntouchable() throws Exception {
        Files.writeString(dirA.resolve(".syncthing.pull.txt.tmp"), "half");
        Files.writeString(dirA.resolve(".stignore"), "");
        try (SyncthingTarget t = target(a, "shared")) {
            List<String> names = names(t, SyncPath.ROOT);
            assertThat(names).contains("one.txt", "docs").doesNotContain(".stfolder", ".stignore", ".syncthing.pull.txt.tmp");
            assertThatThrownBy(() -> t.write(SyncPath.of(".stfolder"), new ByteArrayInputStream(new byte[0]), WriteHints.ofSize(0)))
                    .isInstanceOf(PermanentSyncException.class).hasMessageContaining("Syncthing's own");
            assertThatThrownBy(() -> t.delete(SyncPath.of(".stfolder"))).isInstanceOf(PermanentSyncException.class);
        }
        Files.delete(dirA.resolve(".syncthing.pull.txt.tmp"));
        Files.delete(dirA.resolve(".stignore"));
    }

    @Test
    @Order(3)
    void aConflictCopySurfacesInListingsAndIsCopiedLikeAnyFile() throws Exception {
        // Both sides edit c.txt while apart; B's edit is newer and wins, A keeps its own as a conflict copy.
        a.node().pauseDevice(b.deviceId());
        b.node().pauseDevice(a.deviceId());
        try (SyncthingTarget t = target(a, "shared")) {
            byte[] mine = "A's edit".getBytes(StandardCharsets.UTF_8);
            t.write(SyncPath.of("c.txt"), new ByteArrayInputStream(mine),
                    WriteHints.ofSize(mine.length).withModTime(Instant.parse("2020-01-01T00:00:00Z")));
        }
        Files.writeString(dirB.resolve("c.txt"), "B's edit");
        Files.setLastModifiedTime(dirB.resolve("c.txt"), FileTime.from(Instant.parse("2020-01-02T00:00:00Z")));
        b.node().scan("shared", List.of("c.txt"));
        a.node().resumeDevice(b.deviceId());
        b.node().resumeDevice(a.deviceId());
        await("a conflict copy on A", CONVERGE, () -> conflictFiles(dirA).size() == 1
                && Files.readString(dirA.resolve("c.txt")).equals("B's edit"));

        Path local = Files.createDirectories(nodes.root.resolve("copy-of-a"));
        try (SyncthingTarget t = target(a, "shared"); LocalTarget dest = new LocalTarget(local)) {
            SyncReport r = Sync.between(t, dest, SyncOptions.builder().mode(SyncMode.MIRROR).build()).run();
            assertThat(r.succeeded()).as(r.toString()).isTrue();
            assertThat(t.conflictCopies()).hasSize(1);
            String name = t.conflictCopies().iterator().next().name();
            assertThat(name).matches("c\\.sync-conflict-\\d{8}-\\d{6}-" + b.deviceId().shortId() + "\\.txt");
            assertThat(Files.readString(local.resolve(name))).isEqualTo("A's edit");
        }
    }

    @Test
    @Order(4)
    void waitForPeersTimesOutCleanlyWhenThePeerIsStopped() throws Exception {
        b.stop();
        await("A sees B gone", CONVERGE, () -> !a.node().connections().get(b.deviceId()).connected());
        SyncthingTarget t = target(a, "shared", "waitForPeers", "true", "peerTimeout", "3s");
        byte[] data = "while B was away".getBytes(StandardCharsets.UTF_8);
        t.write(SyncPath.of("late.txt"), new ByteArrayInputStream(data), WriteHints.ofSize(data.length));
        Instant before = Instant.now();
        assertThatThrownBy(t::close).isInstanceOf(SyncthingTarget.PeersIncompleteException.class)
                .hasMessageContaining(b.deviceId().shortId() + ": not connected");
        assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(20));
        PeerReport report = t.lastPeerReport().orElseThrow();
        assertThat(report.unfinished()).extracting(PeerProgress::device).containsExactly(b.deviceId());
        // Written and scanned all the same: A's index has it, and B gets it once back.
        assertThat(Files.readString(dirA.resolve("late.txt"))).isEqualTo("while B was away");
        b.start();
        try (SyncthingTarget again = target(a, "shared", "waitForPeers", "true", "peerTimeout", "60s")) {
            assertThat(again.awaitPeers(CONVERGE).complete()).isTrue();
        }
        assertThat(Files.readString(dirB.resolve("late.txt"))).isEqualTo("while B was away");
    }

    @Test
    @Order(5)
    void badLocationsAreRefusedWithTheReason() throws Exception {
        assertThatThrownBy(() -> target(a, "no-such-folder")).isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("no-such-folder");
        assertThatThrownBy(() -> target(a, "shared/docs/../../../etc")).isInstanceOf(InvalidTargetException.class);
        assertThatThrownBy(() -> target(a, "")).isInstanceOf(InvalidTargetException.class).hasMessageContaining("folder ID");
        assertThatThrownBy(() -> target(a, "shared", "apikey", dev.ferry.testkit.TestSecrets.secret("wrong-key"))).isInstanceOf(AuthenticationException.class)
                .hasMessageNotContaining(dev.ferry.testkit.TestSecrets.MARKER);
        assertThatThrownBy(() -> target(a, "shared", "bogus", "1")).isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("bogus");
        assertThatThrownBy(() -> new SyncthingTargetProvider().open(new TargetSpec(
                URI.create("syncthing://127.0.0.1:" + TestNodes.freePort() + "/shared"), Map.of("apikey", dev.ferry.testkit.TestSecrets.secret("k")))))
                .isInstanceOf(NodeUnavailableException.class);
        // A sub-path of a folder is a target of its own.
        try (SyncthingTarget docs = target(a, "shared/docs")) {
            assertThat(names(docs, SyncPath.ROOT)).containsExactly("two.txt");
        }
    }

    private static List<String> names(SyncthingTarget t, SyncPath dir) throws IOException {
        List<String> names = new ArrayList<>();
        t.list(dir, new ListingSink() {
            @Override
            public void entry(Entry entry) {
                names.add(entry.path().name());
            }

            @Override
            public void notice(ListingNotice notice) {
            }
        });
        return names;
    }

    private static List<Path> conflictFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().contains(".sync-conflict-")).toList();
        }
    }
}
