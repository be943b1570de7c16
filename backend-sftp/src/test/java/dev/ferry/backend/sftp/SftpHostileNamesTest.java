package dev.ferry.backend.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.ListingNotice;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.Listings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names a real server lists that are no safe path: a backslash (a separator on Windows) is a
 * legal Linux file name, and OpenSSH lists it as it is. It becomes a hostile-name notice, never
 * an entry, and a sync from the server never writes it anywhere.
 */
class SftpHostileNamesTest {

    @TempDir
    Path local;

    @Test
    void aBackslashNameIsANoticeAndNeverWrittenLocally() throws Exception {
        TestSshd sshd = TestSshd.shared();
        assumeThat(sshd).as("OpenSSH's server is not installed (/usr/sbin/sshd missing)").isNotNull();
        Path root = sshd.freshRoot(Optional.empty());
        Files.writeString(root.resolve("ok.txt"), "fine");
        Files.writeString(root.resolve("..\\..\\escape.txt"), "hostile");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub").resolve("a\\b"), "hostile");
        try (SyncTarget t = SyncTargets.load().open(sshd.location(sshd.user, root), sshd.keyOptions())) {
            Listings.Result r = Listings.collect(t, SyncPath.ROOT);
            assertThat(r.entries()).extracting(e -> e.path().toString()).containsExactlyInAnyOrder("ok.txt", "sub");
            assertThat(r.notices()).extracting(ListingNotice::reason).containsExactly(ListingNotice.Reason.HOSTILE_NAME);
            assertThat(r.notices().get(0).location()).isEqualTo("..\\..\\escape.txt");

            Path dest = local.resolve("dest");
            try (SyncTarget d = SyncTargets.load().open(dest.toString())) {
                Sync.between(t, d, SyncOptions.defaults()).run();
            }
            assertThat(dest.resolve("ok.txt")).hasContent("fine");
            try (Stream<Path> all = Files.walk(local)) {
                assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("escape") || n.contains("\\"));
            }
        }
    }
}
