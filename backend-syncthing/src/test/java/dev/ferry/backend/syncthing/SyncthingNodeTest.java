package dev.ferry.backend.syncthing;

import static dev.ferry.backend.syncthing.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.AuthenticationException;
import dev.ferry.api.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Every admin call against three live 1.19 nodes: A, B (paired with A) and C (unknown to A at first). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncthingNodeTest {

    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static TestNodes nodes;
    private static SyncthingProcess a;
    private static SyncthingProcess b;
    private static SyncthingProcess c;

    @BeforeAll
    static void start() throws Exception {
        nodes = new TestNodes();
        a = nodes.start("a");
        b = nodes.start("b");
        c = nodes.start("c");
        TestNodes.pair(a, b);
    }

    @AfterAll
    static void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    @Order(1)
    void statusReportsIdVersionAndAddresses() throws Exception {
        SystemStatus s = a.node().status();
        assertThat(s.myId()).isEqualTo(a.deviceId());
        assertThat(s.version()).startsWith("v1.");
        assertThat(s.listen()).containsExactly(a.listenAddresses().get(0));
        assertThat(s.addresses()).contains(a.listenAddresses().get(0));
        assertThat(s.uptime().isNegative()).isFalse();
        NodeOptions o = a.node().options();
        assertThat(o.relaysEnabled()).isFalse();
        assertThat(o.globalDiscoveryEnabled()).isFalse();
        assertThat(o.localDiscoveryEnabled()).isFalse();
        assertThat(o.natEnabled()).isFalse();
    }

    @Test
    @Order(2)
    void keysAndConfigAreOwnerOnly() throws Exception {
        for (String f : List.of("key.pem", "cert.pem", "config.xml")) {
            assertThat(Files.getPosixFilePermissions(a.home().resolve(f)))
                    .as(f).containsExactlyInAnyOrderElementsOf(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        assertThat(Files.readString(a.home().resolve("config.xml"))).contains(a.apiKey());
    }

    @Test
    @Order(3)
    void pairedNodesConnect() throws Exception {
        await("A and B connected", CONVERGE, () -> a.node().connections().get(b.deviceId()).connected());
        Connection conn = a.node().connections().get(b.deviceId());
        assertThat(conn.address()).isPresent();
        assertThat(a.node().connections()).doesNotContainKey(a.deviceId());
    }

    @Test
    @Order(4)
    void devicesAddPauseResumeRemove() throws Exception {
        SyncthingNode node = a.node();
        DeviceId stranger = DeviceId.parse("MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD");
        node.addDevice(DeviceConfig.builder(stranger).name("stranger").address("tcp://127.0.0.1:1").autoAcceptFolders(true).build());
        DeviceConfig d = node.device(stranger).orElseThrow();
        assertThat(d.name()).isEqualTo("stranger");
        assertThat(d.addresses()).containsExactly("tcp://127.0.0.1:1");
        assertThat(d.autoAcceptFolders()).isTrue();
        node.pauseDevice(stranger);
        assertThat(node.device(stranger).orElseThrow().paused()).isTrue();
        node.resumeDevice(stranger);
        assertThat(node.device(stranger).orElseThrow().paused()).isFalse();
        // Add again = replace.
        node.addDevice(d.toBuilder().name("renamed").introducer(true).build());
        assertThat(node.device(stranger).orElseThrow().name()).isEqualTo("renamed");
        assertThat(node.device(stranger).orElseThrow().introducer()).isTrue();
        assertThat(node.devices()).extracting(DeviceConfig::id).contains(stranger, a.deviceId(), b.deviceId());
        node.removeDevice(stranger);
        assertThat(node.device(stranger)).isEmpty();
    }

    @Test
    @Order(5)
    void foldersAddShareUnshareScanStatusRemove() throws Exception {
        SyncthingNode node = a.node();
        Path dir = Files.createDirectories(nodes.root.resolve("a-docs"));
        node.addFolder(FolderConfig.builder("docs", dir).label("Docs").type(FolderType.SEND_ONLY)
                .rescanIntervalS(600).fsWatcher(false).maxConflicts(3).build());
        FolderConfig f = node.requireFolder("docs");
        assertThat(f.label()).isEqualTo("Docs");
        assertThat(f.path()).isEqualTo(dir);
        assertThat(f.type()).isEqualTo(FolderType.SEND_ONLY);
        assertThat(f.rescanIntervalS()).isEqualTo(600);
        assertThat(f.fsWatcherEnabled()).isFalse();
        assertThat(f.maxConflicts()).isEqualTo(3);
        assertThat(f.devices()).isEmpty();
        node.shareFolder("docs", b.deviceId());
        assertThat(node.requireFolder("docs").devices()).containsExactly(b.deviceId());
        assertThat(node.requireFolder("docs").rescanIntervalS()).as("PATCH kept the rest").isEqualTo(600);
        Files.writeString(dir.resolve("one.txt"), "one", StandardCharsets.UTF_8);
        node.scan("docs", List.of("one.txt"));
        FolderStatus st = node.folderStatus("docs");
        assertThat(st.localFiles()).isEqualTo(1);
        assertThat(st.localBytes()).isEqualTo(3);
        Completion self = node.completion("docs", a.deviceId());
        assertThat(self.nothingNeeded()).isTrue();
        node.unshareFolder("docs", b.deviceId());
        assertThat(node.requireFolder("docs").devices()).isEmpty();
        assertThat(node.folders()).extracting(FolderConfig::id).contains("docs");
        node.removeFolder("docs");
        assertThat(node.folder("docs")).isEmpty();
        assertThat(dir.resolve("one.txt")).as("files stay on disk").exists();
    }

    @Test
    @Order(6)
    void optionsChangeOnlyWhatIsSet() throws Exception {
        SyncthingNode node = a.node();
        node.setOptions(NodeOptions.change().nat(true));
        assertThat(node.options().natEnabled()).isTrue();
        assertThat(node.options().relaysEnabled()).isFalse();
        node.setOptions(NodeOptions.change().nat(false).relays(false).globalDiscovery(false).localDiscovery(false));
        NodeOptions o = node.options();
        assertThat(o.natEnabled()).isFalse();
        assertThat(o.listenAddresses()).containsExactly(a.listenAddresses().get(0));
    }

    @Test
    @Order(7)
    void pendingDeviceAndFolderAreAcceptedOrDismissed() throws Exception {
        SyncthingNode na = a.node();
        SyncthingNode nc = c.node();
        nc.addDevice(DeviceConfig.builder(a.deviceId()).address(a.listenAddresses().get(0)).build());
        await("C pending on A", CONVERGE, () -> na.pendingDevices().stream().anyMatch(p -> p.device().equals(c.deviceId())));
        PendingDevice p = na.pendingDevices().stream().filter(x -> x.device().equals(c.deviceId())).findFirst().orElseThrow();
        assertThat(p.name()).isEqualTo("c");
        na.acceptDevice(c.deviceId(), c.listenAddresses());
        assertThat(na.device(c.deviceId()).orElseThrow().name()).isEqualTo("c");
        await("A and C connected", CONVERGE, () -> na.connections().get(c.deviceId()).connected());
        assertThat(na.pendingDevices()).noneMatch(x -> x.device().equals(c.deviceId()));

        nc.addFolder(TestNodes.share("offer", Files.createDirectories(nodes.root.resolve("c-offer")), a.deviceId()));
        nc.addFolder(TestNodes.share("unwanted", Files.createDirectories(nodes.root.resolve("c-unwanted")), a.deviceId()));
        await("folders pending on A", CONVERGE, () -> na.pendingFolders().size() >= 2);
        PendingFolder offer = na.pendingFolders().stream().filter(f -> f.folderId().equals("offer")).findFirst().orElseThrow();
        assertThat(offer.offeredBy()).isEqualTo(c.deviceId());
        Path accepted = nodes.root.resolve("a-offer");
        na.acceptFolder("offer", accepted);
        assertThat(na.requireFolder("offer").devices()).containsExactly(c.deviceId());
        na.dismissFolder("unwanted");
        assertThat(na.pendingFolders()).isEmpty();
        assertThat(na.folder("unwanted")).isEmpty();
        // Accepted means syncing: a file on C reaches A.
        Files.writeString(nodes.root.resolve("c-offer/hello.txt"), "hello");
        nc.scan("offer", List.of("hello.txt"));
        await("hello.txt on A", CONVERGE, () -> Files.exists(accepted.resolve("hello.txt")));
    }

    @Test
    @Order(8)
    void introducerPropagatesDevicesAmongThreeNodes() throws Exception {
        // B marks A as its introducer; A shares a folder with B and C; B learns C from A.
        b.node().addDevice(b.node().device(a.deviceId()).orElseThrow().toBuilder().introducer(true).build());
        // B first: A's next cluster config (sent on its own change) then names a folder B shares.
        b.node().addFolder(TestNodes.share("intro", Files.createDirectories(nodes.root.resolve("b-intro")), a.deviceId()));
        a.node().addFolder(TestNodes.share("intro", Files.createDirectories(nodes.root.resolve("a-intro")),
                b.deviceId(), c.deviceId()));
        await("C introduced to B", CONVERGE, () -> b.node().device(c.deviceId()).isPresent());
        DeviceConfig introduced = b.node().device(c.deviceId()).orElseThrow();
        assertThat(introduced.introducedBy()).contains(a.deviceId());
        await("B shares intro with C", CONVERGE, () -> b.node().requireFolder("intro").devices().contains(c.deviceId()));
    }

    @Test
    @Order(9)
    void eventCursorSeesChangesAndKeepsItsPlace() throws Exception {
        SyncthingNode node = b.node();
        Path dir = Files.createDirectories(nodes.root.resolve("b-events"));
        node.addFolder(FolderConfig.builder("events", dir).fsWatcher(false).build());
        await("events folder idle", CONVERGE, () -> node.folderStatus("events").state().equals("idle"));
        EventCursor cursor = node.events(Set.of("LocalIndexUpdated"));
        Files.writeString(dir.resolve("e.txt"), "e");
        node.scan("events", List.of("e.txt"));
        EventCursor.Batch batch = cursor.next(Duration.ofSeconds(10));
        assertThat(batch.events()).isNotEmpty();
        assertThat(batch.events().get(0).type()).isEqualTo("LocalIndexUpdated");
        assertThat(batch.events().get(0).text("folder")).isEqualTo("events");
        assertThat(batch.eventsLost()).isFalse();
        assertThat(batch.nodeRestarted()).isFalse();
        // Nothing new: an empty batch, not the old events again.
        assertThat(cursor.next(Duration.ZERO).events()).isEmpty();
    }

    @Test
    @Order(10)
    void awaitPeersDecidesByNeedCountsAndReportsEachPeer() throws Exception {
        Path ap = Files.createDirectories(nodes.root.resolve("a-pair"));
        Path bp = Files.createDirectories(nodes.root.resolve("b-pair"));
        b.node().addFolder(TestNodes.share("pair", bp, a.deviceId()));
        a.node().addFolder(TestNodes.share("pair", ap, b.deviceId()));
        Files.writeString(ap.resolve("big.bin"), "x".repeat(200_000));
        a.node().scan("pair", List.of("big.bin"));
        Completion right = a.node().completion("pair", b.deviceId());
        assertThat(right.hasEverything()).as("straight after the scan B lacks the file: %s", right).isFalse();
        PeerReport report = a.node().awaitPeers("pair", CONVERGE);
        assertThat(report.complete()).as(report.describe()).isTrue();
        assertThat(report.peers()).extracting(PeerProgress::device).containsExactly(b.deviceId());
        assertThat(Files.size(bp.resolve("big.bin"))).isEqualTo(200_000);

        // C was offered "intro" but never accepted it: A cannot call it done, and says so for C alone.
        Files.writeString(nodes.root.resolve("a-intro/i.txt"), "i");
        a.node().scan("intro", List.of("i.txt"));
        PeerReport partial = a.node().awaitPeers("intro", Duration.ofSeconds(3));
        assertThat(partial.complete()).isFalse();
        assertThat(partial.unfinished()).extracting(PeerProgress::device).containsExactly(c.deviceId());
        assertThat(partial.describe()).contains(c.deviceId().shortId() + ": ");
    }

    @Test
    @Order(20)
    void badInputIsRefusedAndChangesNothing() throws Exception {
        SyncthingNode node = a.node();
        int devices = node.devices().size();
        int folders = node.folders().size();
        assertThatThrownBy(() -> DeviceId.parse("not-an-id")).isInstanceOf(IllegalArgumentException.class);
        String id = b.deviceId().value();
        String luhnInvalid = id.substring(0, 62) + (id.charAt(62) == 'A' ? 'B' : 'A');
        assertThatThrownBy(() -> DeviceId.parse(luhnInvalid))
                .hasMessageContaining("check character");
        assertThatThrownBy(() -> FolderType.parse("mirror")).hasMessageContaining("mirror");
        assertThatThrownBy(() -> FolderConfig.builder("x", Path.of("relative")).build()).hasMessageContaining("absolute");
        assertThatThrownBy(() -> node.folderStatus("no-such-folder")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> node.scan("no-such-folder")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no-such-folder");
        assertThatThrownBy(() -> node.shareFolder("no-such-folder", b.deviceId())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> node.scan("intro", List.of("../../etc/passwd"))).isInstanceOf(IllegalArgumentException.class);
        DeviceId unknown = DeviceId.parse("MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD");
        assertThatThrownBy(() -> node.addFolder(FolderConfig.builder("nope", nodes.root.resolve("nope")).share(unknown).build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining(unknown.value());
        assertThatThrownBy(() -> node.removeDevice(unknown)).isInstanceOf(NotFoundException.class);
        SyncthingNode wrongKey = SyncthingNode.builder(a.guiUri()).apiKey(dev.ferry.testkit.TestSecrets.secret("wrong-key")).build();
        assertThatThrownBy(wrongKey::status).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("API key").hasMessageNotContaining(dev.ferry.testkit.TestSecrets.MARKER);
        assertThatThrownBy(() -> wrongKey.addDevice(DeviceConfig.builder(unknown).build()))
                .isInstanceOf(AuthenticationException.class);
        SyncthingNode notRunning = SyncthingNode.builder(java.net.URI.create("http://127.0.0.1:" + TestNodes.freePort()))
                .apiKey(dev.ferry.testkit.TestSecrets.secret("k")).build();
        assertThatThrownBy(notRunning::status).isInstanceOf(NodeUnavailableException.class).hasMessageContaining("not answering");
        assertThat(notRunning.ping()).isFalse();
        assertThat(node.devices()).hasSize(devices);
        assertThat(node.folders()).hasSize(folders);
        assertThat(node.folder("nope")).isEmpty();
    }
}
