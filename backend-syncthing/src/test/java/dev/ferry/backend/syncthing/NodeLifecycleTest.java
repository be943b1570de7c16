package dev.ferry.backend.syncthing;

import static dev.ferry.backend.syncthing.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.AuthenticationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Restart, factory reset (keeping and renewing the ID), https with a pinned certificate, stop. */
class NodeLifecycleTest {

    private static TestNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        nodes = new TestNodes();
    }

    @AfterAll
    static void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void restartIsSupervisedAndEventCursorNoticesIt() throws Exception {
        SyncthingProcess p = nodes.start("restart");
        SyncthingNode node = p.node();
        SystemStatus before = node.status();
        long pid = p.pid().orElseThrow();
        EventCursor cursor = node.events(Set.of("ConfigSaved"));
        node.restart();
        SystemStatus after = node.awaitRestart(before.startTime(), Duration.ofSeconds(60));
        assertThat(after.myId()).isEqualTo(before.myId());
        assertThat(p.restarts()).isEqualTo(1);
        assertThat(p.pid().orElseThrow()).isNotEqualTo(pid);
        EventCursor.Batch batch = cursor.next(Duration.ZERO);
        assertThat(batch.nodeRestarted()).isTrue();
        assertThat(batch.eventsLost()).isTrue();
        p.stop();
        assertThat(p.isRunning()).isFalse();
        assertThatThrownBy(node::status).isInstanceOf(NodeUnavailableException.class);
    }

    @Test
    void factoryResetRemovesEverythingAndKeepsOrRenewsTheId() throws Exception {
        SyncthingProcess p = nodes.start("reset");
        SyncthingProcess peer = nodes.start("reset-peer");
        TestNodes.pair(p, peer);
        SyncthingNode node = p.node();
        Path dir = Files.createDirectories(nodes.root.resolve("reset-data"));
        Files.writeString(dir.resolve("keep.txt"), "user data");
        node.addFolder(TestNodes.share("drive", dir, peer.deviceId()));
        node.scan("drive");
        assertThat(node.folderStatus("drive").localFiles()).isEqualTo(1);

        SystemStatus s = p.factoryReset(false);
        assertThat(s.myId()).isEqualTo(p.deviceId());
        assertThat(node.folders()).isEmpty();
        assertThat(node.devices()).extracting(DeviceConfig::id).containsExactly(p.deviceId());
        assertThat(node.options().relaysEnabled()).as("options kept: still off the internet").isFalse();
        assertThat(dir.resolve("keep.txt")).as("files stay on disk").exists();
        // The database went too: a folder at the same path starts from scratch and finds the file again.
        node.addFolder(FolderConfig.builder("drive", dir).build());
        node.scan("drive");
        assertThat(node.folderStatus("drive").localFiles()).isEqualTo(1);

        DeviceId old = p.deviceId();
        SystemStatus renewed = p.factoryReset(true);
        assertThat(renewed.myId()).isNotEqualTo(old).isEqualTo(p.deviceId());
        assertThat(p.node().devices()).extracting(DeviceConfig::id).containsExactly(renewed.myId());
        assertThat(p.node().folders()).isEmpty();
        p.stop();
        peer.stop();
    }

    @Test
    void httpsGuiIsReachedWithThePinnedCertificateOnly() throws Exception {
        SyncthingProcess p = nodes.start("tls", true);
        assertThat(p.guiUri().getScheme()).isEqualTo("https");
        assertThat(p.node().status().myId()).isEqualTo(p.deviceId());
        assertThat(Files.getPosixFilePermissions(p.home().resolve("https-key.pem")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        // Another node's certificate pinned: refused, never trusted blindly.
        SyncthingNode wrongPin = SyncthingNode.builder(p.guiUri()).apiKey(p.apiKey())
                .pinnedCertificate(p.home().resolve("cert.pem")).build();
        assertThatThrownBy(wrongPin::status).isInstanceOf(AuthenticationException.class).hasMessageContaining("certificate");
        // No pin, no CA: the JDK's trust store, which does not know a self-signed certificate.
        SyncthingNode noPin = SyncthingNode.builder(p.guiUri()).apiKey(p.apiKey()).build();
        assertThatThrownBy(noPin::status).isInstanceOf(AuthenticationException.class);
        p.stop();
    }

    @Test
    void aStoppedNodeIsReportedNotRunning() throws Exception {
        SyncthingProcess p = nodes.start("gone");
        SyncthingNode node = p.node();
        p.stop();
        assertThat(node.ping()).isFalse();
        assertThatThrownBy(() -> node.folders()).isInstanceOf(NodeUnavailableException.class)
                .hasMessageContaining("not answering");
        assertThatThrownBy(() -> p.awaitReady(Duration.ofSeconds(1))).isInstanceOf(NodeUnavailableException.class);
        // Started again from the same home: same ID, same key.
        p.start();
        assertThat(p.node().status().myId()).isEqualTo(p.deviceId());
        assertThat(List.of(p.node().ping())).containsExactly(true);
        p.stop();
    }

    @Test
    void generatedIdMatchesWhatSyncthingPrints() throws Exception {
        SyncthingProcess p = nodes.start("ids");
        await("status", Duration.ofSeconds(10), () -> p.node().ping());
        assertThat(p.node().status().myId()).isEqualTo(DeviceId.of(Tls.readCertificate(p.home().resolve("cert.pem"))));
        p.stop();
    }
}
