package dev.ferry.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Entry;
import dev.ferry.api.ServerSideCopy;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two folders of one WebDAV server, same user: a one-way copy between them is one COPY on the server. */
class StoreCopyTest {

    @TempDir
    Path state;

    @Test
    void twoFoldersOfOneApacheServerCopyOnTheServer() throws Exception {
        TestServers.Server apache = TestServers.apacheOrSkip();
        Path log = TestServers.apacheAccessLogOrSkip();
        try (SyncTarget a = apache.freshTarget(Map.of()); SyncTarget b = apache.freshTarget(Map.of());
                SyncTarget other = TestServers.rcloneOrSkip().freshTarget(Map.of())) {
            ServerSideCopy copier = b.ability(ServerSideCopy.class).orElseThrow();
            assertThat(copier.canCopyFrom(a)).isTrue();
            assertThat(copier.canCopyFrom(other)).as("another server").isFalse();
            byte[] data = "on the server".getBytes(StandardCharsets.UTF_8);
            a.write(SyncPath.of("d/f.txt"), new ByteArrayInputStream(data), WriteHints.ofSize(data.length));
            a.write(SyncPath.of("g.txt"), new ByteArrayInputStream(data), WriteHints.ofSize(data.length));
            long putsBefore = count(log, "PUT ");
            SyncReport r = Sync.between(a, b, SyncOptions.builder().mode(SyncMode.MIRROR).stateDirectory(state).build())
                    .run();
            assertThat(r.failures()).isEmpty();
            assertThat(r.filesCopied()).isEqualTo(2);
            for (String p : new String[] {"d/f.txt", "g.txt"}) {
                try (var in = b.open(SyncPath.of(p), 0)) {
                    assertThat(in.readAllBytes()).isEqualTo(data);
                }
            }
            assertThat(b.stat(SyncPath.of("g.txt")).map(Entry::size)).contains((long) data.length);
            assertThat(count(log, "PUT ")).as("no upload: the server copied").isEqualTo(putsBefore);
            assertThat(count(log, "COPY ")).isGreaterThanOrEqualTo(2);
        }
    }

    private static long count(Path log, String method) throws Exception {
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.startsWith(method)).count();
        }
    }
}
