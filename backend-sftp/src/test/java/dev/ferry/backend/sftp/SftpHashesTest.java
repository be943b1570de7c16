package dev.ferry.backend.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.Hasher;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hashes by sha256sum over SSH exec, on a name a shell would otherwise read as syntax. */
class SftpHashesTest {

    @Test
    void serverHashesMatchTheContentEvenForNamesWithQuotesAndSpaces() throws Exception {
        TestSshd sshd = TestSshd.shared();
        assumeThat(sshd).as("OpenSSH's server is not installed (/usr/sbin/sshd missing)").isNotNull();
        try (SyncTarget t = sshd.freshTarget(Map.of())) {
            assertThat(t.capabilities().hashes()).contains(HashAlgorithm.SHA256, HashAlgorithm.MD5);
            SyncPath p = SyncPath.of("it's a $(touch x) `name`; \"quoted\".txt");
            byte[] data = "hello\n".getBytes(StandardCharsets.UTF_8);
            t.write(p, new ByteArrayInputStream(data), WriteHints.ofSize(data.length));
            Hasher h = t.ability(Hasher.class).orElseThrow();
            assertThat(h.hash(p, HashAlgorithm.SHA256)).contains("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
            assertThat(h.hash(p, HashAlgorithm.MD5)).contains("b1946ac92492d2347c6235b4d2611184");
        }
    }
}
