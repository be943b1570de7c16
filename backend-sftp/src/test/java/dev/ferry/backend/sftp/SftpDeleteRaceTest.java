package dev.ferry.backend.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.ConditionalDeleter;
import dev.ferry.api.Entry;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.api.WriteHints.Precondition;
import dev.ferry.core.SyncTargets;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A two-way run's delete against a real OpenSSH server: only the version the run listed goes
 * (taken aside, compared, removed); a file edited since (on the server's own disk, as a user
 * there would) stays, and nothing hidden is left behind either way.
 */
class SftpDeleteRaceTest {

    private static final SyncPath X = SyncPath.of("d/x.txt");

    @Test
    void onlyTheListedVersionIsDeletedAndNothingIsLeftAside() throws Exception {
        TestSshd sshd = TestSshd.shared();
        assumeThat(sshd).as("OpenSSH's server is not installed (/usr/sbin/sshd missing)").isNotNull();
        Path root = sshd.freshRoot(Optional.empty()).resolve("root");
        Path onDisk = root.resolve("d/x.txt");
        try (SyncTarget t = SyncTargets.load().open(sshd.location(sshd.user, root), sshd.keyOptions())) {
            ConditionalDeleter deleter = t.ability(ConditionalDeleter.class).orElseThrow();
            Entry listed = put(t, "both sides had this");
            deleter.deleteIf(X, Precondition.unchanged(listed));
            assertThat(onDisk).doesNotExist();
            deleter.deleteIf(X, Precondition.unchanged(listed)); // a retried delete finds its work done

            Entry old = put(t, "0123456789");
            Files.writeString(onDisk, "abcdefghij"); // same size, edited on the server
            Files.setLastModifiedTime(onDisk, FileTime.from(Instant.parse("2031-01-01T00:00:00Z")));
            assertThatThrownBy(() -> deleter.deleteIf(X, Precondition.unchanged(old)))
                    .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("d/x.txt")
                    .hasMessageContaining("left as it is");
            assertThat(onDisk).hasContent("abcdefghij");
            try (Stream<Path> names = Files.list(onDisk.getParent())) {
                assertThat(names.map(p -> p.getFileName().toString())).as("nothing aside, no conflict copy")
                        .containsExactly("x.txt");
            }
        }
    }

    private static Entry put(SyncTarget t, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return t.write(X, new ByteArrayInputStream(b), WriteHints.ofSize(b.length).withModTime(Instant.parse("2024-01-01T00:00:00Z")));
    }
}
