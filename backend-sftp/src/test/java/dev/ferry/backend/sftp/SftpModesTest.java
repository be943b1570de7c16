package dev.ferry.backend.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.PosixModes;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.TestContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keepModes} to and from a real OpenSSH server: the modes land on the server's files (seen
 * with the server's own file system, not through SFTP), listings report them, and they come back.
 */
class SftpModesTest {

    @TempDir
    Path tmp;

    @Test
    void keptModesLandOnTheServerAndComeBack() throws Exception {
        TestSshd sshd = TestSshd.shared();
        assumeThat(sshd).as("OpenSSH's server is not installed (/usr/sbin/sshd missing)").isNotNull();
        Path src = tmp.resolve("src");
        write(src.resolve("tool"), "rwxr-xr-x");
        write(src.resolve("group/report.txt"), "rw-r-----");
        write(src.resolve("group/key"), "rw-------");
        Files.setPosixFilePermissions(src.resolve("group"), PosixFilePermissions.fromString("rwxr-x---"));
        Path serverRoot = sshd.freshRoot(Optional.empty()).resolve("root");
        SyncOptions keep = SyncOptions.builder().mode(SyncMode.MIRROR).keepModes(true).build();

        try (SyncTarget local = SyncTargets.load().open(src.toString());
                SyncTarget remote = SyncTargets.load().open(sshd.location(sshd.user, serverRoot), sshd.keyOptions())) {
            assertThat(Sync.between(local, remote, keep).run().failures()).isEmpty();

            assertThat(mode(serverRoot.resolve("tool"))).isEqualTo("rwxr-xr-x");
            assertThat(mode(serverRoot.resolve("group/report.txt"))).isEqualTo("rw-r-----");
            assertThat(mode(serverRoot.resolve("group/key"))).isEqualTo("rw-------");
            assertThat(mode(serverRoot.resolve("group"))).isEqualTo("rwxr-x---");

            List<Entry> listed = new ArrayList<>();
            remote.list(SyncPath.of("group"), new ListingSink() {
                @Override
                public void entry(Entry entry) {
                    listed.add(entry);
                }

                @Override
                public void notice(ListingNotice notice) {
                    throw new AssertionError(notice.toString());
                }
            });
            assertThat(listed).extracting(e -> e.path().name() + "=" + Integer.toOctalString(e.mode().orElse(-1)))
                    .containsExactlyInAnyOrder("report.txt=640", "key=600");
            assertThat(remote.stat(SyncPath.of("tool")).orElseThrow().mode()).hasValue(0755);

            Path back = tmp.resolve("back");
            try (SyncTarget down = SyncTargets.load().open(back.toString())) {
                assertThat(Sync.between(remote, down, keep).run().failures()).isEmpty();
            }
            assertThat(mode(back.resolve("tool"))).isEqualTo("rwxr-xr-x");
            assertThat(mode(back.resolve("group/report.txt"))).isEqualTo("rw-r-----");
            assertThat(mode(back.resolve("group"))).isEqualTo("rwxr-x---");
        }
    }

    @Test
    void directoryModeNeedsADirectory() throws Exception {
        TestSshd sshd = TestSshd.shared();
        assumeThat(sshd).as("OpenSSH's server is not installed (/usr/sbin/sshd missing)").isNotNull();
        try (SyncTarget t = sshd.freshTarget(java.util.Map.of())) {
            PosixModes modes = t.ability(PosixModes.class).orElseThrow();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> modes.setDirectoryMode(SyncPath.of("absent"), 0700))
                    .isInstanceOf(dev.ferry.api.NotFoundException.class).hasMessageContaining("absent");
        }
    }

    private static void write(Path file, String perms) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, TestContent.bytes(file.getFileName().toString().hashCode(), 1000));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
