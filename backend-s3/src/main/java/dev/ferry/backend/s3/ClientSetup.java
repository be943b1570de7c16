package dev.ferry.backend.s3;

import dev.ferry.api.AuthenticationException;
import dev.ferry.api.NotFoundException;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.Locale;
import org.apache.http.conn.ssl.DefaultHostnameVerifier;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The SDK client as a target uses it, and the check that its bucket is there and the credentials work. */
final class ClientSetup {

    private ClientSetup() {}

    static S3Client buildClient(S3TargetOptions o) {
        AwsCredentialsProvider credentials = o.accessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(o.accessKey().get(), o.secretKey().orElseThrow()))
                : DefaultCredentialsProvider.create();
        Region region = o.region().map(Region::of).orElseGet(() -> {
            if (o.endpoint().isPresent()) {
                return Region.US_EAST_1;
            }
            try {
                return new DefaultAwsRegionProviderChain().getRegion();
            } catch (SdkException e) {
                return Region.US_EAST_1;
            }
        });
        ApacheHttpClient.Builder http = ApacheHttpClient.builder()
                .maxConnections(Math.max(64, o.uploadConcurrency() * 4))
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60))
                .tcpKeepAlive(true);
        // A pin is the server's identity (a self-signed certificate rarely names its address):
        // no host-name check on top of it; a CA file keeps the usual one.
        o.tls().ifPresent(t -> http.socketFactory(new SSLConnectionSocketFactory(t.context(),
                t.checksHostName() ? new DefaultHostnameVerifier() : NoopHostnameVerifier.INSTANCE)));
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(http)
                .region(region)
                .credentialsProvider(credentials)
                // The engine hashes what it reads and checks it against the listed MD5: the SDK need not too.
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(o.pathStyle())
                        .checksumValidationEnabled(false).build())
                .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.standardStrategyBuilder()
                        // Only a request that met a dead pooled keep-alive connection before its
                        // body went out is sent again, once and at once; every other failure (503
                        // SlowDown, a cut mid-part, timeouts) goes to the engine, which retries with
                        // backoff, resumes from the parts held and counts: one retry layer, so the
                        // delays do not multiply and the report shows what the user waited for.
                        .useClientDefaults(false)
                        .maxAttempts(2)
                        .retryOnException(ClientSetup::isDeadConnection)
                        .backoffStrategy(BackoffStrategy.retryImmediately())
                        .circuitBreakerEnabled(false)
                        .build()))
                // PutObject and UploadPart go with Content-MD5 and an unsigned payload, on http too.
                .putAuthScheme(new ContentMd5AuthScheme());
        o.endpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    /**
     * Whether a request failed on a pooled keep-alive connection the server had already closed
     * (S3Proxy closes one after answering 412 without reading the body), before any of its body
     * went out: nothing of it reached the server, so the SDK sends it again at once on a new
     * connection, which the user would not call a retry. A connection that breaks while the body
     * is being sent (a network cut mid-part) is not this: it goes to the engine, which backs off
     * and counts it in the report. Told apart by where Apache HttpClient failed (its
     * {@code sendRequestEntity} streams the body); a client whose frames are not recognised
     * leaves every failure to the engine, the safe side.
     */
    static boolean isDeadConnection(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getClass().getSimpleName().equals("NoHttpResponseException")) {
                return true;
            }
            if (c instanceof SocketException && String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT)
                    .matches(".*(broken pipe|connection reset|socket closed).*")) {
                boolean sendingRequest = false;
                for (StackTraceElement f : c.getStackTrace()) {
                    if (f.getMethodName().equals("sendRequestEntity")) {
                        return false;
                    }
                    sendingRequest |= f.getMethodName().equals("doSendRequest");
                }
                return sendingRequest;
            }
        }
        return false;
    }

    /** Checks that the bucket is there and the credentials are accepted (one HeadBucket). */
    static void checkBucket(Bucket b) throws IOException {
        try {
            b.client.headBucket(r -> r.bucket(b.name));
        } catch (NoSuchBucketException e) {
            throw new NotFoundException("bucket '" + b.name + "' does not exist at " + b.endpoint(), e);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NotFoundException("bucket '" + b.name + "' does not exist at " + b.endpoint(), e);
            }
            if (e.statusCode() == 403) {
                throw new AuthenticationException("access to bucket '" + b.name + "' at " + b.endpoint()
                        + " refused (403): check accessKey "
                        + b.options.accessKey().orElse("(default credential chain)") + " and its secret", e);
            }
            throw S3Errors.map(e, "open", b.where);
        } catch (RuntimeException e) {
            throw S3Errors.map(e, "open", b.where);
        }
    }
}
