package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.core.SyncTargets;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import dev.ferry.api.WriteHints;
import dev.ferry.testkit.Listings;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Locations, options and TLS trust of the ftp and ftps providers. */
class FtpTargetProviderTest {

    private static FtpOptions parse(String uri, Map<String, String> options) throws InvalidTargetException {
        TargetSpec spec = new TargetSpec(URI.create(uri), options);
        return FtpOptions.parse(spec, spec.scheme().equals("ftps"));
    }

    @Test
    void bothSchemesAreFoundByServiceLoader() {
        assertThat(ServiceLoader.load(SyncTargetProvider.class).stream().map(p -> p.get().scheme()))
                .contains("ftp", "ftps");
    }

    @Test
    void locationsAndDefaults() throws Exception {
        FtpOptions o = parse("ftp://photo%20booth@example.com/upload/photos/", Map.of("password", "pw"));
        assertThat(o.host()).isEqualTo("example.com");
        assertThat(o.port()).isEqualTo(21);
        assertThat(o.user()).isEqualTo("photo booth");
        assertThat(o.rootPath()).isEqualTo("/upload/photos");
        assertThat(o.tls()).isEqualTo(FtpOptions.Tls.NONE);
        assertThat(o.connections()).isEqualTo(8);
        assertThat(o.encoding().name()).isEqualTo("UTF-8");
        assertThat(o.serverTimeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(o.passive()).isTrue();

        FtpOptions s = parse("ftps://me@example.com:2121", Map.of("connections", "3", "timeout", "90s",
                "serverTimeZone", "Europe/Berlin", "encoding", "ISO-8859-1"));
        assertThat(s.tls()).isEqualTo(FtpOptions.Tls.EXPLICIT);
        assertThat(s.port()).isEqualTo(2121);
        assertThat(s.rootPath()).isEmpty();
        assertThat(s.connections()).isEqualTo(3);
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.serverTimeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(s.encoding().name()).isEqualTo("ISO-8859-1");

        FtpOptions i = parse("ftps://me@example.com/x", Map.of("implicitTls", "true"));
        assertThat(i.tls()).isEqualTo(FtpOptions.Tls.IMPLICIT);
        assertThat(i.port()).isEqualTo(990);
        assertThat(parse("ftp://example.com", Map.of()).user()).isEqualTo("anonymous");
    }

    @Test
    void badOptionsAreRefused() {
        assertThatThrownBy(() -> parse("ftp://me@h/x", Map.of("pasword", "typo"))).isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("pasword").hasMessageNotContaining("typo");
        assertThatThrownBy(() -> parse("ftp://me@h/x", Map.of("trustAll", "true")))
                .as("TLS options on plain ftp").isInstanceOf(InvalidTargetException.class);
        assertThatThrownBy(() -> parse("ftp://me@h/x", Map.of("connections", "0"))).isInstanceOf(InvalidTargetException.class);
        assertThatThrownBy(() -> parse("ftp://me@h/x", Map.of("serverTimeZone", "Mars/Olympus"))).isInstanceOf(InvalidTargetException.class);
        assertThatThrownBy(() -> parse("ftps://me@h/x", Map.of("pinnedCertificate", "abcd"))).isInstanceOf(InvalidTargetException.class);
        assertThatThrownBy(() -> parse("ftp:///x", Map.of())).isInstanceOf(InvalidTargetException.class);
        assertThatThrownBy(() -> parse("ftp://me@h/a/../b", Map.of())).isInstanceOf(InvalidTargetException.class);
    }

    @Test
    void thePasswordIsSecretAndNeverShown() throws Exception {
        assertThat(new FtpTargetProvider().options()).filteredOn(TargetOption::secret).extracting(TargetOption::name)
                .containsExactly("password");
        FtpOptions o = parse("ftp://me@example.com/p", Map.of("password", "hunter2-secret"));
        assertThat(o.toString()).doesNotContain("hunter2-secret");
        assertThat(o.description()).isEqualTo("ftp://me@example.com/p").doesNotContain("hunter2-secret");
        TargetSpec spec = SyncTargets.load().parse("ftp://me:hunter2-secret@example.com/p", Map.of());
        assertThat(spec.toString()).doesNotContain("hunter2-secret");
    }

    @Test
    void tlsCertificatesAreVerifiedUnlessPinnedOrExplicitlyTrusted() throws Exception {
        TestServers.Server server = TestServers.apacheTls();
        Map<String, String> noPin = new TreeMap<>(server.options());
        noPin.remove("pinnedCertificate");
        assertThatThrownBy(() -> SyncTargets.load().open(server.freshLocation().toString(), noPin))
                .as("a self-signed certificate is refused by default").isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("TLS");
        Map<String, String> wrongPin = new TreeMap<>(server.options());
        wrongPin.put("pinnedCertificate", "00".repeat(32));
        assertThatThrownBy(() -> SyncTargets.load().open(server.freshLocation().toString(), wrongPin))
                .isInstanceOf(PermanentSyncException.class).hasMessageNotContaining(TestServers.PASSWORD);
        Map<String, String> trustAll = new TreeMap<>(noPin);
        trustAll.put("trustAll", "true");
        try (SyncTarget t = SyncTargets.load().open(server.freshLocation().toString(), trustAll)) {
            t.write(SyncPath.of("a.txt"), new ByteArrayInputStream(new byte[] {1, 2}), WriteHints.ofSize(2));
            assertThat(Listings.collect(t, SyncPath.ROOT).names()).containsExactly("a.txt");
        }
    }

    @Test
    void wrongPasswordIsRefusedWithoutEchoingIt() throws Exception {
        TestServers.Server server = TestServers.apachePlain();
        Map<String, String> o = new TreeMap<>(server.options());
        o.put("password", "wrong-password-xyz");
        assertThatThrownBy(() -> SyncTargets.load().open(server.freshLocation().toString(), o))
                .isInstanceOf(dev.ferry.api.AuthenticationException.class)
                .hasMessageContaining(TestServers.USER)
                .hasMessageNotContaining("wrong-password-xyz");
    }
}
