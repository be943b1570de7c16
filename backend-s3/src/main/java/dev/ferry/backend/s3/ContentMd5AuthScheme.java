package dev.ferry.backend.s3;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * The SDK's SigV4 scheme ({@code aws.auth#sigv4}), but a request whose body is protected by a
 * {@code Content-MD5} header goes with {@code x-amz-content-sha256: UNSIGNED-PAYLOAD} on plain
 * http too, as it already does on https.
 *
 * <p>Why: on an http endpoint the SDK signs every payload byte, whatever
 * {@link AwsV4FamilyHttpSigner#PAYLOAD_SIGNING_ENABLED} says (its {@code isPayloadSigning} is
 * "enabled, or not https"), and for PutObject and UploadPart it does so chunk by chunk
 * ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}): a SHA-256 of every byte, the most costly thing an
 * upload did (60% of its CPU, measured). The MD5 the body is sent with is needed anyway.
 *
 * <p>Why integrity holds: {@code Content-MD5} is one of the signed headers (SigV4 signs every
 * header but a few hop-by-hop ones), so it cannot be changed on the way without the signature
 * failing, and the store checks the body against it (400 BadDigest); a body changed on the way
 * is refused, as a signed payload would be. What an unsigned payload gives up is that the
 * signature covers the body through its MD5 rather than its SHA-256: someone rewriting plain-http
 * traffic could swap the body for another with the same MD5 only by finding a second preimage
 * (not feasible; the known MD5 collisions need both contents crafted by the attacker), and the
 * same someone reads the content anyway. Over https nobody rewrites it, which is why the SDK and
 * S3 go unsigned there already. Requests without a
 * {@code Content-MD5} (none of the uploads: PutObject and UploadPart always carry one) are
 * signed as the SDK always did.
 *
 * <p>How: the scheme (http or https) is not part of the SigV4 canonical request, so the request
 * is signed as if it went over https, with payload signing off, and then sent over http as it
 * was. The one place the scheme shows is the {@code Host} header's port, which the signer leaves
 * out for the scheme's standard port: the port is carried over so that the signed {@code Host}
 * is the one the HTTP client sends (an http endpoint on port 443, where that cannot be done, is
 * signed the SDK's way).
 */
final class ContentMd5AuthScheme implements AwsV4AuthScheme {

    private final AwsV4AuthScheme delegate = AwsV4AuthScheme.create();
    private final AwsV4HttpSigner signer = new Signer(delegate.signer());

    @Override
    public String schemeId() {
        return delegate.schemeId();
    }

    @Override
    public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
        return delegate.identityProvider(providers);
    }

    @Override
    public AwsV4HttpSigner signer() {
        return signer;
    }

    /** Whether a request is signed with an unsigned payload although it goes over plain http. */
    static boolean signsAsHttps(SdkHttpRequest r) {
        return "http".equals(r.protocol()) && r.port() != 443 && r.firstMatchingHeader("Content-MD5").isPresent();
    }

    private static final class Signer implements AwsV4HttpSigner {
        private final AwsV4HttpSigner delegate;

        Signer(AwsV4HttpSigner delegate) {
            this.delegate = delegate;
        }

        @Override
        public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
            SdkHttpRequest http = request.request();
            if (!signsAsHttps(http)) {
                return delegate.sign(request);
            }
            // Port 80 is http's standard port: https's (null) keeps it out of the signed Host, as
            // the client leaves it out of the Host it sends. Any other port is named in both.
            SdkHttpRequest asHttps = http.toBuilder().protocol("https").port(http.port() == 80 ? null : http.port()).build();
            SignedRequest signed = delegate.sign(request.copy(r -> r.request(asHttps)
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)));
            SdkHttpRequest back = signed.request().toBuilder().protocol(http.protocol()).port(http.port()).build();
            return signed.copy(r -> r.request(back));
        }

        @Override
        public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
            return delegate.signAsync(request); // the synchronous client only is used
        }
    }
}
