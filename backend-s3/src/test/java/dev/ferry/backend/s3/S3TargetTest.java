package dev.ferry.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.AuthenticationException;
import dev.ferry.api.Entry;
import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.api.TargetSpec;
import dev.ferry.api.WriteHints;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** S3-specific behaviour: options, errors, conditional writes, rclone's time format. */
class S3TargetTest {

    @Test
    void rcloneTimeFormatRoundTripsWithoutLosingNanoseconds() {
        assertThat(RcloneMeta.formatTime(Instant.parse("2012-11-27T18:15:05.123456789Z"))).isEqualTo("1354040105.123456789");
        assertThat(RcloneMeta.formatTime(Instant.ofEpochSecond(1_600_000_000))).isEqualTo("1600000000");
        assertThat(RcloneMeta.formatTime(Instant.ofEpochSecond(1_600_000_000, 500_000_000))).isEqualTo("1600000000.5");
        assertThat(RcloneMeta.formatTime(Instant.ofEpochSecond(1_600_000_000, 1))).isEqualTo("1600000000.000000001");
        for (String s : new String[] {"1354040105.123456789", "1600000000", "1600000000.5", "1600000000.000000001", "-1.25"}) {
            assertThat(RcloneMeta.formatTime(RcloneMeta.parseTime(s).orElseThrow())).isEqualTo(s);
        }
        assertThat(RcloneMeta.parseTime("1354040105.12")).contains(Instant.ofEpochSecond(1354040105, 120_000_000));
        assertThat(RcloneMeta.parseTime("1.2e9")).isEmpty();
        assertThat(RcloneMeta.parseTime("garbage")).isEmpty();
    }

    @Test
    void onlyASinglePartEtagIsAnMd5() {
        assertThat(RcloneMeta.md5OfEtag("\"D41D8CD98F00B204E9800998ECF8427E\"")).contains("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(RcloneMeta.md5OfEtag("\"d41d8cd98f00b204e9800998ecf8427e-3\"")).isEmpty();
        assertThat(RcloneMeta.md5Hex(RcloneMeta.md5Base64("d41d8cd98f00b204e9800998ecf8427e")))
                .contains("d41d8cd98f00b204e9800998ecf8427e");
    }

    @Test
    void locationsAndOptionsParse() throws Exception {
        S3TargetOptions o = S3TargetProvider.parseOptions(Map.of("endpoint", "http://127.0.0.1:9000", "partSize", "16M"));
        assertThat(o.pathStyle()).as("on by default with an endpoint").isTrue();
        assertThat(o.partSize()).isEqualTo(16 << 20);
        assertThat(o.conditionalWritesHonoured()).as("not on a non-AWS endpoint by default").isFalse();
        assertThat(S3TargetProvider.parseOptions(Map.of()).pathStyle()).isFalse();
        assertThat(S3TargetProvider.parseOptions(Map.of()).conditionalWritesHonoured()).isTrue();
        assertThatThrownBy(() -> S3TargetProvider.parseOptions(Map.of("partsize", "1M"))).isInstanceOf(InvalidTargetException.class);
        assertThatThrownBy(() -> S3TargetProvider.parseOptions(Map.of("fsync", "true"))).isInstanceOf(InvalidTargetException.class);
        assertThatThrownBy(() -> S3TargetProvider.parseOptions(Map.of("accessKey", "a"))).isInstanceOf(InvalidTargetException.class);
        // Every malformed value is refused naming its option, whatever its type.
        for (Map.Entry<String, String> bad : Map.of("uploadConcurrency", "many", "listChunk", "5000",
                "directoryMarkers", "maybe", "conditionalWrites", "sometimes", "multipartCutoff", "big",
                "incompleteUploadMaxAge", "soon", "pathStyle", "perhaps", "copyCutoff", "1M", "bufferLimit", "2G").entrySet()) {
            assertThatThrownBy(() -> S3TargetProvider.parseOptions(Map.of(bad.getKey(), bad.getValue())))
                    .isInstanceOf(InvalidTargetException.class).hasMessageContaining("'" + bad.getKey() + "'");
        }
        S3TargetOptions parsed = S3TargetProvider.parseOptions(Map.of("DirectoryMarkers", "yes", "uploadConcurrency", "3",
                "multipartCutoff", "5MiB", "conditionalWrites", "auto", "listModTimes", "off"));
        assertThat(parsed.directoryMarkers()).isTrue();
        assertThat(parsed.uploadConcurrency()).isEqualTo(3);
        assertThat(parsed.multipartCutoff()).isEqualTo(5 << 20);
        assertThat(parsed.conditionalWrites()).isEmpty();
        assertThat(parsed.listModTimes()).isFalse();
        S3TargetOptions defaults = S3TargetProvider.parseOptions(Map.of());
        assertThat(defaults.multipartCutoff()).as("rclone's --s3-upload-cutoff").isEqualTo(200L << 20);
        assertThat(defaults.bufferLimit()).as("never 200 MiB in memory").isEqualTo(16L << 20);
        assertThat(S3TargetProvider.parseOptions(Map.of("bufferLimit", "4M")).bufferLimit()).isEqualTo(4L << 20);
        S3TargetOptions secret = S3TargetProvider.parseOptions(Map.of("accessKey", "AKIDEXAMPLE", "secretKey", "s3cr3t-value"));
        assertThat(secret.toString()).contains("AKIDEXAMPLE").doesNotContain("s3cr3t-value");
        assertThat(SyncTargets.load().provider("s3")).isPresent();
    }

    @Test
    void wrongSecretIsAnAuthenticationErrorNamingBucketAndEndpointButNotTheSecret() {
        S3ProxyServer server = S3ProxyServer.get();
        Map<String, String> opts = server.credentials();
        opts.put("secretKey", "wrong-secret-value");
        assertThatThrownBy(() -> new S3TargetProvider().open(new TargetSpec(URI.create("s3://" + S3ProxyServer.BUCKET + "/x"), opts)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining(S3ProxyServer.BUCKET)
                .hasMessageContaining(server.endpoint().toString())
                .hasMessageNotContaining("wrong-secret-value")
                .hasMessageNotContaining(S3ProxyServer.SECRET_KEY);
    }

    @Test
    void missingBucketIsNotFoundNamingIt() {
        S3ProxyServer server = S3ProxyServer.get();
        assertThatThrownBy(() -> new S3TargetProvider().open(new TargetSpec(URI.create("s3://no-such-bucket/x"), server.credentials())))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no-such-bucket")
                .hasMessageContaining(server.endpoint().toString());
    }

    @Test
    void conditionalWritesDetectAConcurrentWriter() throws Exception {
        try (SyncTarget target = S3ProxyServer.get().newTarget("cond", Map.of())) {
            assertThat(target.capabilities().conditionalWrites()).as("S3Proxy emulates them non-atomically").isFalse();
            assertThat(target.toString()).doesNotContain(S3ProxyServer.SECRET_KEY);
            SyncPath p = SyncPath.of("c.txt");
            Entry first = target.write(p, new ByteArrayInputStream(new byte[] {1}),
                    WriteHints.ofSize(1).withPrecondition(WriteHints.Precondition.absent()));
            assertThatThrownBy(() -> target.write(p, new ByteArrayInputStream(new byte[] {2}),
                    WriteHints.ofSize(1).withPrecondition(WriteHints.Precondition.absent())))
                    .isInstanceOf(PreconditionFailedException.class);
            Entry second = target.write(p, new ByteArrayInputStream(new byte[] {3}),
                    WriteHints.ofSize(1).withPrecondition(WriteHints.Precondition.version(first.version().orElseThrow())));
            assertThatThrownBy(() -> target.write(p, new ByteArrayInputStream(new byte[] {4}),
                    WriteHints.ofSize(1).withPrecondition(WriteHints.Precondition.version(first.version().orElseThrow()))))
                    .isInstanceOf(PreconditionFailedException.class);
            try (var in = target.open(p, 0)) {
                assertThat(in.readAllBytes()).containsExactly(3);
            }
            assertThat(second.version()).isNotEqualTo(first.version());
        }
    }
}
