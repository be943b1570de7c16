package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The one TLS check every backend that speaks it runs against a server presenting a
 * {@link TestCertificates self-signed certificate}: without trust options the certificate is
 * refused with a permanent error that says the handshake failed, names the options that fix it
 * and holds no secret; a pin of another certificate is refused as well; the right
 * {@code pinnedCertificate} (its SHA-256) or {@code ca} (its PEM as the CA file) opens the target
 * and lists its root.
 */
public final class TlsTrustContract {

    /** Opens a target at the test server with the test's credentials plus {@code trust} options. */
    @FunctionalInterface
    public interface Opener {
        /** Opens it; the extra options are the TLS trust options under test (may be empty). */
        SyncTarget open(Map<String, String> trust) throws IOException;
    }

    private TlsTrustContract() {}

    /**
     * Runs the four cases with the common options: no trust options, {@code pinnedCertificate} of
     * another certificate, then {@code pinnedCertificate} and {@code ca} of the right one.
     * {@code optionsHint} are texts the refusal must contain (the names of the options that fix it).
     */
    public static void check(Opener opener, TestCertificates.SelfSigned certificate, String... optionsHint) throws IOException {
        check(opener, Map.of("pinnedCertificate", "00:" + certificate.sha256().substring(3)),
                List.of(Map.of("pinnedCertificate", certificate.sha256()), Map.of("ca", certificate.certificatePem().toString())),
                optionsHint);
    }

    /**
     * The same for a backend whose options differ: {@code wrongPin} pins another certificate,
     * each of {@code trusting} must make the target open and list its root.
     */
    public static void check(Opener opener, Map<String, String> wrongPin, List<Map<String, String>> trusting,
            String... optionsHint) throws IOException {
        assertThatThrownBy(() -> opener.open(Map.of()).close())
                .as("a self-signed certificate is refused by default")
                .isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("TLS")
                .hasMessageContainingAll(optionsHint)
                .hasMessageNotContaining(TestSecrets.MARKER);
        assertThatThrownBy(() -> opener.open(wrongPin).close())
                .as("a pin of another certificate is refused")
                .isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("not the pinned one")
                .hasMessageNotContaining(TestSecrets.MARKER);
        for (Map<String, String> trust : trusting) {
            try (SyncTarget t = opener.open(trust)) {
                assertThat(Listings.collect(t, SyncPath.ROOT).notices()).as("listing over TLS with %s", trust.keySet()).isEmpty();
            }
        }
    }
}
