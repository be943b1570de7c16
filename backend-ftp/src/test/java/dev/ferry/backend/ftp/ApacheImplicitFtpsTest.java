package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.api.WriteHints;
import dev.ferry.testkit.Listings;
import dev.ferry.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Implicit FTPS ({@code ftps://…?implicitTls=true}: TLS from the first byte, no AUTH TLS, then
 * PBSZ 0 / PROT P) against an Apache FtpServer listener in implicit mode, its certificate pinned.
 * The full contract runs over explicit TLS ({@link ApacheFtpsContractTest}); the control and data
 * set-up is what differs here, so this test goes through every kind of data connection once.
 */
class ApacheImplicitFtpsTest {

    @Test
    void everyKindOfDataConnectionWorksOverImplicitTls() throws Exception {
        TestServers.Server s = TestServers.apacheImplicitTls();
        byte[] data = TestContent.bytes(9, 3 << 20);
        Instant time = Instant.parse("2022-03-04T05:06:07Z");
        try (SyncTarget t = s.freshTarget(Map.of())) {
            assertThat(t.description()).startsWith("ftps://");
            Entry e = t.write(SyncPath.of("d/x.bin"), new ByteArrayInputStream(data),
                    new WriteHints(data.length, Optional.of(time), Map.of(), WriteHints.Precondition.NONE)); // STOR
            assertThat(e.size()).isEqualTo(data.length);
            assertThat(Listings.collect(t, "d").names()).containsExactly("x.bin"); // MLSD
            assertThat(t.stat(SyncPath.of("d/x.bin")).orElseThrow().modTime()).contains(time);
            try (InputStream in = t.open(SyncPath.of("d/x.bin"), 1000)) { // REST + RETR
                assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, data.length));
            }
            assertThat(Files.readAllBytes(s.root().resolve(t.description().replaceAll(".*/", "")).resolve("d/x.bin")))
                    .isEqualTo(data);
        }
    }

    @Test
    void anExplicitTlsClientIsNotUnderstoodOnAnImplicitPort() throws Exception {
        TestServers.Server s = TestServers.apacheImplicitTls();
        Map<String, String> o = new TreeMap<>(s.options());
        o.remove("implicitTls");
        o.put("connectTimeout", "1s");
        o.put("timeout", "1s");
        // The server starts with a TLS handshake; a client waiting for a 220 greeting gets none.
        assertThatThrownBy(() -> SyncTargets.load().open(s.freshLocation().toString(), o).close())
                .isInstanceOf(IOException.class);
    }
}
