package dev.ferry.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.TargetSpec;
import dev.ferry.core.SyncOptions;
import dev.ferry.testkit.FaultPlan;
import dev.ferry.testkit.FaultProxy;
import dev.ferry.testkit.engine.FaultScenario;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 19's fault scenario on S3 (S3Proxy, filesystem store): 500 small files and one 64 MiB
 * file up and back down through the shared {@link FaultProxy}, a fault every 128 to 384 KiB of
 * traffic; connection-ending ones (cuts, resets) at least 6 MiB apart, since a multipart upload
 * resumes by whole 5 MiB parts. Afterwards no multipart upload is left open.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class S3FaultScenarioTest {

    @TempDir
    Path work;

    @Test
    void survivesAFaultEveryFewHundredKib() throws Exception {
        S3ProxyServer server = S3ProxyServer.get();
        String prefix = S3ProxyServer.freshPrefix("scenario");
        FaultPlan plan = FaultPlan.every(19, 128 << 10, 384 << 10, 6 << 20);
        try (FaultProxy proxy = FaultProxy.to(server.endpoint().getPort()).plan(plan).start()) {
            Map<String, String> o = new HashMap<>(server.credentials());
            o.put("endpoint", "http://127.0.0.1:" + proxy.port());
            o.put("multipartCutoff", "5M");
            o.put("partSize", "5M");
            FaultScenario.Result r = FaultScenario.run(work, FaultScenario.Shape.STANDARD, proxy,
                    () -> new S3TargetProvider().open(new TargetSpec(URI.create("s3://" + S3ProxyServer.BUCKET + "/" + prefix), o)),
                    SyncOptions.builder());
            System.out.println("[reliability] " + r.summary("s3 (S3Proxy)"));
            assertThat(r.faults().destructive()).as("connection-ending faults injected").isGreaterThan(10);
            assertThat(r.retries()).as("retries the report counted").isPositive();
        }
        try (S3Client raw = server.client()) {
            assertThat(raw.listMultipartUploads(b -> b.bucket(S3ProxyServer.BUCKET).prefix(prefix + "/")).uploads())
                    .as("multipart uploads left open").isEmpty();
        }
    }

    /** Regression (found by the scenario): a GET body cut short was a permanent failure, not retried. */
    @Test
    void aResponseCutMidBodyIsRetried() throws Exception {
        S3ProxyServer server = S3ProxyServer.get();
        java.nio.file.Path src = java.nio.file.Files.createDirectories(work.resolve("one"));
        dev.ferry.testkit.TestContent.writeFile(src.resolve("a.bin"), 5, 3_000_000);
        FaultPlan cut = FaultPlan.every(1, 1_000_000, 1_000_000, 1L << 60).withKinds(FaultPlan.Fault.CUT); // one cut, then stalls
        try (FaultProxy proxy = FaultProxy.to(server.endpoint().getPort()).plan(cut).start()) {
            proxy.faultsOn(false);
            Map<String, String> o = new HashMap<>(server.credentials());
            o.put("endpoint", "http://127.0.0.1:" + proxy.port());
            URI at = URI.create("s3://" + S3ProxyServer.BUCKET + "/" + S3ProxyServer.freshPrefix("cutget"));
            var load = dev.ferry.core.SyncTargets.load();
            try (var local = load.open(src.toString()); var s3 = new S3TargetProvider().open(new TargetSpec(at, o))) {
                assertThat(dev.ferry.core.Sync.between(local, s3, SyncOptions.builder().build()).run().failures()).isEmpty();
            }
            java.nio.file.Path back = java.nio.file.Files.createDirectories(work.resolve("back"));
            proxy.faultsOn(true);
            try (var s3 = new S3TargetProvider().open(new TargetSpec(at, o)); var local = load.open(back.toString())) {
                var r = dev.ferry.core.Sync.between(s3, local, SyncOptions.builder().retry(FaultScenario.PATIENT).build()).run();
                assertThat(r.failures()).isEmpty();
                assertThat(proxy.counts().injected().get(FaultPlan.Fault.CUT)).isPositive();
                assertThat(r.retries()).isPositive();
            }
            assertThat(back.resolve("a.bin")).hasSameBinaryContentAs(src.resolve("a.bin"));
        }
    }
}
