package dev.ferry.backend.s3;

import dev.ferry.api.AuthenticationException;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PermissionDeniedException;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.SyncException;
import dev.ferry.api.TransientSyncException;
import dev.ferry.backend.support.TlsHandshakes;
import dev.ferry.backend.support.TlsTrust;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns the SDK's exceptions into the SPI's family: 5xx, 429, SlowDown, RequestTimeout,
 * BadDigest (a body damaged on the way) and network failures are transient; 412 is a failed precondition; 403, 404 and bad credentials are
 * permanent. Messages name the object, bucket and endpoint, never a credential; the SDK's own
 * message (which holds none) is kept as the cause.
 */
final class S3Errors {

    private S3Errors() {}

    /** The SPI exception for a failure of {@code action} on {@code what} (an object and where it is). */
    static IOException map(Throwable e, String action, String what) {
        if (e instanceof SyncException se) {
            return se;
        }
        String prefix = "cannot " + action + " " + what + ": ";
        if (e instanceof AwsServiceException ase) {
            int status = ase.statusCode();
            String code = ase.awsErrorDetails() != null && ase.awsErrorDetails().errorCode() != null
                    ? ase.awsErrorDetails().errorCode() : "";
            String detail = status + (code.isEmpty() ? "" : " " + code)
                    + (ase.awsErrorDetails() != null && ase.awsErrorDetails().errorMessage() != null
                    ? " (" + ase.awsErrorDetails().errorMessage() + ")" : "");
            if (status == 412 || code.equals("PreconditionFailed")) {
                // Only writes are conditional: the store refused to publish, so what is there stays.
                return new PreconditionFailedException(prefix + "changed by someone else; the version there was kept"
                        + " and nothing was published: " + detail, e);
            }
            if (status >= 500 || status == 429 || status == 409 && code.equals("ConditionalRequestConflict")
                    || code.equals("SlowDown") || code.equals("RequestTimeout") || code.equals("InternalError")
                    || code.equals("ServiceUnavailable") || code.equals("RequestTimeTooSkewed")
                    // The body did not match its Content-MD5: damaged on the way; sent again, it arrives whole.
                    || code.equals("BadDigest")) {
                return new TransientSyncException(prefix + detail, e, retryAfter(ase).orElse(null));
            }
            if (code.equals("NoSuchBucket")) {
                return new NotFoundException(prefix + "the bucket does not exist: " + detail, e);
            }
            if (code.equals("InvalidAccessKeyId") || code.equals("SignatureDoesNotMatch")
                    || code.equals("InvalidToken") || code.equals("ExpiredToken") || status == 401) {
                return new AuthenticationException(prefix + "credentials refused: " + detail, e);
            }
            if (status == 403) {
                return new PermissionDeniedException(prefix + "access denied: " + detail, e);
            }
            if (status == 404) {
                return new NotFoundException(prefix + "not found: " + detail, e);
            }
            return new PermanentSyncException(prefix + detail, e);
        }
        if (e instanceof AbortedException || e instanceof InterruptedException) {
            InterruptedIOException iio = new InterruptedIOException(prefix + "interrupted");
            iio.initCause(e);
            return iio;
        }
        if (e instanceof SdkClientException sce) {
            Optional<IOException> tls = refusedTls(e, prefix);
            if (tls.isPresent()) {
                return tls.get();
            }
            String m = String.valueOf(sce.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("unable to load credentials") || m.contains("unable to load region")) {
                return new AuthenticationException(prefix + "no credentials: give accessKey and secretKey, or set up"
                        + " the AWS environment, profile or instance role", e);
            }
            return new TransientSyncException(prefix + "network failure: " + rootMessage(e), e);
        }
        if (e instanceof SdkException) {
            return new PermanentSyncException(prefix + e.getMessage(), e);
        }
        if (e instanceof IOException io) {
            return io;
        }
        return new IOException(prefix + e, e);
    }

    /**
     * A TLS handshake that ran to its end and refused the server (its certificate, or a host name
     * it does not name) wants the user to act: permanent, naming the options that trust a
     * certificate. One the connection cut short is a network failure like any other.
     */
    private static Optional<IOException> refusedTls(Throwable e, String prefix) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLHandshakeException h && !TlsHandshakes.cutShort(h) || t instanceof SSLPeerUnverifiedException) {
                return Optional.of(new PermanentSyncException(prefix + "TLS handshake failed, the server's certificate is not"
                        + " trusted (" + t.getMessage() + "); trust it with the option " + TlsTrust.PINNED_CERTIFICATE
                        + " (its SHA-256) or " + TlsTrust.CA + " (a PEM file of the CA)", e));
            }
        }
        return Optional.empty();
    }

    private static Optional<Duration> retryAfter(AwsServiceException e) {
        try {
            return e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null ? Optional.empty()
                    : e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After")
                            .map(v -> Duration.ofSeconds(Long.parseLong(v.trim())));
        } catch (NumberFormatException ex) {
            return Optional.empty();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
