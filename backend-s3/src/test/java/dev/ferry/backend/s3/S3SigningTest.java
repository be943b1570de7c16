package dev.ferry.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.api.TransientSyncException;
import dev.ferry.api.WriteHints;
import dev.ferry.core.RetryPolicy;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import dev.ferry.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Uploads go with an unsigned payload and a Content-MD5, on this plain-http endpoint too, and a
 * body damaged on the way is still refused: the requests are watched, and damaged, by a
 * {@link FaultProxy} between the SDK and S3Proxy.
 */
class S3SigningTest {

    private static final int PART = 5 << 20;

    @TempDir
    Path tmp;

    @RegisterExtension
    final ProxiedS3 s3 = new ProxiedS3("signing");

    private SyncTarget throughProxy() throws IOException {
        Map<String, String> m = new HashMap<>();
        m.put("multipartCutoff", "5M");
        m.put("partSize", "5M");
        m.put("directoryMarkers", "true");
        return s3.open(m);
    }

    private byte[] read(SyncTarget t, String path) throws IOException {
        try (InputStream in = t.open(SyncPath.of(path), 0)) {
            return in.readAllBytes();
        }
    }

    private void assertNoIncompleteUploads() {
        assertThat(s3.raw.listMultipartUploads(r -> r.bucket(S3ProxyServer.BUCKET).prefix(s3.prefix + "/")).uploads())
                .as("incomplete uploads").isEmpty();
    }

    private static boolean isObjectPut(FaultProxy.Request r) {
        return r.method().equals("PUT") && !r.target().contains("uploadId=") && r.header("x-amz-copy-source") == null;
    }

    @Test
    void everyPutAndPartGoesUnsignedWithTheMd5OfItsBody() throws IOException {
        byte[] small = TestContent.bytes(1, 300_000);
        byte[] large = TestContent.bytes(2, 2 * PART + 12_345);
        byte[] resumable = TestContent.bytes(3, 2 * PART + 1);
        try (SyncTarget t = throughProxy()) {
            t.write(SyncPath.of("small.bin"), new ByteArrayInputStream(small), WriteHints.ofSize(small.length));
            t.write(SyncPath.of("large.bin"), new ByteArrayInputStream(large), WriteHints.ofSize(large.length)
                    .withHash(HashAlgorithm.MD5, TestContent.hash(HashAlgorithm.MD5, large)));
            t.write(SyncPath.of("stream.bin"), new ByteArrayInputStream(large), WriteHints.NONE);
            ResumableWriter.PartialWrite w = ((ResumableWriter) t).begin(SyncPath.of("resumable.bin"),
                    WriteHints.ofSize(resumable.length));
            w.append(new ByteArrayInputStream(resumable));
            w.complete();
            t.makeDirectories(SyncPath.of("dir"));

            assertThat(read(t, "small.bin")).isEqualTo(small);
            assertThat(read(t, "large.bin")).isEqualTo(large);
            assertThat(read(t, "stream.bin")).isEqualTo(large);
            assertThat(read(t, "resumable.bin")).isEqualTo(resumable);
        }
        List<FaultProxy.Forwarded> sent = s3.proxy.forwarded();
        List<FaultProxy.Forwarded> uploads = sent.stream()
                .filter(f -> f.request().isPartUpload() || isObjectPut(f.request())).toList();
        assertThat(uploads.stream().filter(f -> f.request().isPartUpload())).as("parts: 3 + 3 + 3").hasSize(9);
        assertThat(uploads.stream().filter(f -> isObjectPut(f.request()))).as("small.bin and dir/").hasSize(2);
        for (FaultProxy.Forwarded f : uploads) {
            FaultProxy.Request r = f.request();
            assertThat(r.header("x-amz-content-sha256")).as("%s %s", r.method(), r.target()).isEqualTo("UNSIGNED-PAYLOAD");
            assertThat(r.header("content-md5")).as("Content-MD5 of %s", r.target()).isEqualTo(f.bodyMd5());
            assertThat(r.header("content-encoding")).as("no aws-chunked body").isNull();
            assertThat(r.header("authorization")).as("the MD5 is signed")
                    .matches(".*SignedHeaders=[^,]*content-md5[^,]*,.*");
        }
        // Any other body (CompleteMultipartUpload's list of parts) is signed as before: its SHA-256
        // is in the signature. (A request without a body goes unsigned, as it always did.)
        List<FaultProxy.Forwarded> otherBodies = sent.stream()
                .filter(f -> !uploads.contains(f) && f.request().contentLength() > 0).toList();
        assertThat(otherBodies).as("the completions").hasSize(3);
        for (FaultProxy.Forwarded f : otherBodies) {
            assertThat(f.request().header("x-amz-content-sha256")).as("%s %s", f.request().method(),
                    f.request().target()).matches("[0-9a-f]{64}");
        }
    }

    /** Signs a PUT of {@code body} to {@code uri} as the client would, with or without a Content-MD5. */
    private static SignedRequest sign(String uri, boolean withMd5) {
        byte[] body = "payload".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SdkHttpFullRequest.Builder r = SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT).uri(URI.create(uri));
        if (withMd5) {
            r.putHeader("Content-MD5", "cEXCBiqCKPk6dsXT0FhTEQ==");
        }
        return new ContentMd5AuthScheme().signer().sign(SignRequest.builder(AwsCredentialsIdentity.create("AKID", "secret"))
                .request(r.build()).payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false).build());
    }

    @Test
    void signedAsHttpsButSentOverHttpWithTheHostTheClientSends() {
        // Port 80 (standard for http) stays out of the signed Host, as the HTTP client leaves it
        // out of the one it sends; any other port is in both.
        for (String[] c : new String[][] {{"http://store.example/b/k", "store.example"},
                {"http://store.example:80/b/k", "store.example"}, {"http://store.example:9000/b/k", "store.example:9000"}}) {
            SignedRequest signed = sign(c[0], true);
            assertThat(signed.request().protocol()).as(c[0]).isEqualTo("http");
            assertThat(signed.request().port()).as(c[0]).isEqualTo(URI.create(c[0]).getPort() < 0 ? 80 : URI.create(c[0]).getPort());
            assertThat(signed.request().firstMatchingHeader("Host")).as(c[0]).contains(c[1]);
            assertThat(signed.request().firstMatchingHeader("x-amz-content-sha256")).as(c[0]).contains("UNSIGNED-PAYLOAD");
        }
        // Without a Content-MD5, or on port 443 over http (whose Host cannot be signed as https's), the SDK's way.
        for (String uri : new String[] {"http://store.example:9000/b/k", "http://store.example:443/b/k"}) {
            SignedRequest signed = sign(uri, uri.contains(":443"));
            assertThat(signed.request().firstMatchingHeader("x-amz-content-sha256")).as(uri).get(
                    org.assertj.core.api.InstanceOfAssertFactories.STRING).startsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
        }
    }

    @Test
    void aPartDamagedOnTheWayIsRefusedAndNothingIsPublished() throws IOException {
        byte[] data = TestContent.bytes(4, 3 * PART + 99);
        try (SyncTarget t = throughProxy()) {
            s3.proxy.corrupt(1, r -> r.isPartUpload() && r.partNumber() == 2);
            assertThatThrownBy(() -> t.write(SyncPath.of("damaged.bin"), new ByteArrayInputStream(data),
                    WriteHints.ofSize(data.length).withHash(HashAlgorithm.MD5, TestContent.hash(HashAlgorithm.MD5, data))))
                    .isInstanceOf(TransientSyncException.class).hasMessageContaining("BadDigest");
            assertThat(s3.proxy.corruptionsDone()).isEqualTo(1);
            assertThat(t.stat(SyncPath.of("damaged.bin"))).isEmpty();
        }
        assertNoIncompleteUploads();
    }

    @Test
    void aSinglePutDamagedOnTheWayIsRefused() throws IOException {
        byte[] data = TestContent.bytes(5, 100_000);
        try (SyncTarget t = throughProxy()) {
            s3.proxy.corrupt(1, S3SigningTest::isObjectPut);
            assertThatThrownBy(() -> t.write(SyncPath.of("damaged.bin"), new ByteArrayInputStream(data),
                    WriteHints.ofSize(data.length))).isInstanceOf(TransientSyncException.class)
                    .hasMessageContaining("BadDigest");
            assertThat(s3.proxy.corruptionsDone()).isEqualTo(1);
            assertThat(t.stat(SyncPath.of("damaged.bin"))).isEmpty();
        }
    }

    @Test
    void theEngineSendsADamagedPartAgain() throws IOException {
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        byte[] data = TestContent.bytes(6, 3 * PART + 7); // above 8 MiB: the resumable writes
        Files.write(src.resolve("big.bin"), data);
        SyncReport r;
        try (SyncTarget dst = throughProxy(); SyncTarget s = SyncTargets.load().open(src.toString())) {
            s3.proxy.corrupt(1, q -> q.isPartUpload() && q.partNumber() == 3);
            r = Sync.between(s, dst, SyncOptions.builder().stateDirectory(tmp.resolve("state"))
                    .retry(new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(20), 100)).build()).run();
            assertThat(read(dst, "big.bin")).isEqualTo(data);
        }
        assertThat(r.failures()).isEmpty();
        assertThat(s3.proxy.corruptionsDone()).isEqualTo(1);
        assertThat(r.retries()).as("BadDigest is retried, and counted").isEqualTo(1);
        assertNoIncompleteUploads();
    }
}
