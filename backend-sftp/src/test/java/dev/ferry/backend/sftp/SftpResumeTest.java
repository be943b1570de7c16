package dev.ferry.backend.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.ResumableWriter.PartialWrite;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.testkit.Listings;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resumable uploads and offset downloads across target instances (a restarted process): the
 * temporary file stays on the server, hidden, and a second target continues it from its size.
 */
class SftpResumeTest {

    static TestSshd sshd;

    @BeforeAll
    static void server() throws Exception {
        sshd = TestSshd.shared();
        assumeThat(sshd).as("OpenSSH's server is not installed (/usr/sbin/sshd missing)").isNotNull();
    }

    @Test
    void aWriteBegunByOneTargetIsCompletedByAnother() throws Exception {
        byte[] data = new byte[3 << 20];
        new Random(7).nextBytes(data);
        Instant time = Instant.parse("2022-05-06T07:08:09Z");
        WriteHints hints = WriteHints.ofSize(data.length).withModTime(time);
        SyncPath path = SyncPath.of("big/file.bin");
        String token = null;
        java.nio.file.Path root = sshd.freshRoot(java.util.Optional.empty());
        String location = sshd.location(sshd.user, root);
        try (SyncTarget first = dev.ferry.core.SyncTargets.load().open(location, sshd.keyOptions())) {
            ResumableWriter w = first.ability(ResumableWriter.class).orElseThrow();
            PartialWrite p = w.begin(path, hints);
            token = p.token();
            assertThat(p.committedBytes()).isZero();
            // The source ends after 1 MiB of 3: the process that was sending died.
            assertThatThrownBy(() -> p.append(new ByteArrayInputStream(data, 0, 1 << 20)))
                    .isInstanceOf(PermanentSyncException.class);
        }
        try (SyncTarget second = dev.ferry.core.SyncTargets.load().open(location, sshd.keyOptions())) {
            assertThat(Listings.collect(second, "big").names()).as("the temporary file is hidden").isEmpty();
            ResumableWriter w = second.ability(ResumableWriter.class).orElseThrow();
            PartialWrite p = w.resume(token, hints).orElseThrow();
            long held = p.committedBytes();
            assertThat(held).as("what was sent before the cut stays (the last unsent buffer does not)")
                    .isPositive().isLessThanOrEqualTo(1 << 20);
            assertThatThrownBy(p::complete).as("too few bytes held").isInstanceOf(PermanentSyncException.class);
            p.append(new ByteArrayInputStream(data, (int) held, data.length - (int) held));
            var e = p.complete();
            assertThat(e.size()).isEqualTo(data.length);
            assertThat(second.stat(path).orElseThrow().modTime()).contains(time);
            try (InputStream in = second.open(path, 2 << 20)) {
                assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 2 << 20, data.length));
            }
            assertThat(w.resume(token, hints)).as("a completed write is gone").isEmpty();
            assertThat(Listings.collect(second, "big").names()).containsExactly("file.bin");
        }
    }
}
