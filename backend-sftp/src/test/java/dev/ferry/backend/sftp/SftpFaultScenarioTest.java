package dev.ferry.backend.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.Leftovers;
import dev.ferry.testkit.FaultPlan;
import dev.ferry.testkit.FaultProxy;
import dev.ferry.testkit.engine.FaultScenario;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's fault scenario on SFTP (the real OpenSSH server of {@link TestSshd}): 500 small
 * files and one 64 MiB file up and back down through the shared {@link FaultProxy}, a fault every
 * 128 to 384 KiB of traffic. Every SFTP request of a target shares one SSH connection, so a cut
 * or reset ends them all and the next attempt logs in again; connection-ending faults are kept
 * at least 3 MiB apart (SFTP resumes by the byte, the 40-attempt policy must cover the large
 * file). The host key is accepted by its fingerprint, as the proxy's port is not the one
 * {@code known_hosts} names. Afterwards the server's directory holds no temporary file.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SftpFaultScenarioTest {

    @TempDir
    Path work;

    @Test
    void survivesAFaultEveryFewHundredKib() throws Exception {
        TestSshd sshd = TestSshd.shared();
        assumeThat(sshd).as("OpenSSH's server is not installed (/usr/sbin/sshd missing)").isNotNull();
        Path root = sshd.freshRoot(Optional.empty()).resolve("scenario");
        FaultPlan plan = FaultPlan.every(19, 128 << 10, 384 << 10, 3 << 20);
        try (FaultProxy proxy = FaultProxy.to(sshd.port).plan(plan).start()) {
            Map<String, String> o = new TreeMap<>();
            o.put("keyFile", sshd.clientKey.toString());
            o.put("hostKey", sshd.hostKeyFingerprint);
            o.put("timeout", "10s");
            String at = "sftp://" + sshd.user + "@127.0.0.1:" + proxy.port() + root;
            FaultScenario.Result r = FaultScenario.run(work, FaultScenario.Shape.STANDARD, proxy,
                    () -> SyncTargets.load().open(at, o), SyncOptions.builder());
            System.out.println("[reliability] " + r.summary("sftp (OpenSSH)"));
            assertThat(r.faults().destructive()).as("connection-ending faults injected").isGreaterThan(10);
            assertThat(r.retries()).as("retries the report counted").isPositive();
        }
        Leftovers.assertNoTemporaryFiles(root, "on the server");
    }
}
