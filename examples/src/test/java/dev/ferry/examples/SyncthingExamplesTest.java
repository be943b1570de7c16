package dev.ferry.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two Syncthing programs, run whole against real nodes they start themselves. */
class SyncthingExamplesTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void needsSyncthing() {
        Assumptions.assumeTrue(Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "syncthing"))),
                "the syncthing program is not installed (apt-get install syncthing)");
    }

    private static String run(ThrowingMain main) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        try {
            main.run();
        } finally {
            System.setOut(old);
        }
        return out.toString();
    }

    interface ThrowingMain {
        void run() throws Exception;
    }

    @Test
    void syncthingServerAddsTheUserSharesTheDriveShowsStateAndResets() throws Exception {
        Path drive = Files.createDirectories(tmp.resolve("drive"));
        Files.writeString(drive.resolve("welcome.txt"), "hi");
        String user = "MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD";
        String out = run(() -> SyncthingServer.main(new String[] {tmp.resolve("home").toString(), drive.toString(), user,
            "tcp://127.0.0.1:1", "--reset"}));
        assertThat(out).contains("device MFZWI3D 'user' not connected")
                .contains("folder drive at " + drive + ": idle, 1 files, shared with 1 device(s)")
                .contains("reset: 0 folders, 0 devices");
        assertThat(drive.resolve("welcome.txt")).exists();
    }

    @Test
    void volumeReplicationSpreadsFilesAndKeepsTheLoserOfAConflict() throws Exception {
        String out = run(() -> VolumeReplication.main(new String[] {tmp.toString()}));
        assertThat(out).contains("peer a: ").contains("b and c know each other through a")
                .contains("report.txt from c reached a and b")
                .containsPattern("newest wins: report.txt = 'edited on b'; kept report\\.sync-conflict-\\d{8}-\\d{6}-[A-Z2-7]{7}\\.txt = 'edited on a'");
    }
}
