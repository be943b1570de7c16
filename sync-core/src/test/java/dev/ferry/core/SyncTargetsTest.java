package dev.ferry.core;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.api.TargetSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncTargetsTest {

    record FakeProvider(String scheme) implements SyncTargetProvider {
        @Override
        public String description() {
            return "fake " + scheme;
        }

        @Override
        public SyncTarget open(TargetSpec spec) throws IOException {
            throw new InvalidTargetException("fake cannot open " + spec);
        }
    }

    final SyncTargets targets = SyncTargets.of(List.of(new FakeProvider("file"), new FakeProvider("ftp"),
            new FakeProvider("s3")));

    @Test
    void plainPathsAreLocalFiles() throws Exception {
        TargetSpec spec = targets.parse("photos/2024", Map.of());
        assertThat(spec.scheme()).isEqualTo("file");
        assertThat(Path.of(spec.location())).isEqualTo(Path.of("photos/2024").toAbsolutePath());
        assertThat(targets.parse("/srv/my photos", Map.of()).location().getPath()).isEqualTo("/srv/my photos");
        assertThat(targets.parse("./a:b", Map.of()).scheme()).isEqualTo("file");
    }

    @Test
    void queryBecomesOptionsAndUserInfoBecomesCredentials() throws Exception {
        TargetSpec s3 = targets.parse("s3://bucket/dir?endpoint=http%3A%2F%2F127.0.0.1%3A9000&region=eu-west-1&pathStyle",
                Map.of());
        assertThat(s3.location()).isEqualTo(URI.create("s3://bucket/dir"));
        assertThat(s3.options()).containsEntry("endpoint", "http://127.0.0.1:9000").containsEntry("region", "eu-west-1")
                .containsEntry("pathStyle", "true");

        TargetSpec ftp = targets.parse("ftp://me:s%C3%A9cret%40x@host:2121/dir", Map.of());
        assertThat(ftp.location()).isEqualTo(URI.create("ftp://me@host:2121/dir"));
        assertThat(ftp.options()).containsEntry("user", "me").containsEntry("password", "sécret@x");
        assertThat(ftp.toString()).doesNotContain("cret").contains("password=***");
    }

    @Test
    void callerOptionsWin() throws Exception {
        TargetSpec spec = targets.parse("s3://b?region=a", Map.of("region", "b"));
        assertThat(spec.option("region")).hasValue("b");
    }

    @Test
    void malformedUriIsAClearErrorWithoutThePassword() {
        assertThatThrownBy(() -> targets.parse("ftp://me:hunter2@host/a b", Map.of()))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("malformed URI")
                .hasMessageContaining("percent-encode").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> targets.parse("ftp://host/a#b", Map.of())).hasMessageContaining("%23");
        assertThatThrownBy(() -> targets.parse("", Map.of())).hasMessageContaining("empty");
    }

    @Test
    void unknownSchemeListsTheKnownOnes() {
        assertThatThrownBy(() -> targets.parse("gopher://me:pw@x/y", Map.of()))
                .isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("unknown scheme 'gopher'").hasMessageContaining("file, ftp, s3")
                .hasMessageNotContaining(":pw@");
        assertThatThrownBy(() -> targets.open("gopher://x")).isInstanceOf(InvalidTargetException.class);
    }

    @Test
    void duplicateSchemeIsRefused() {
        assertThatThrownBy(() -> SyncTargets.of(List.of(new FakeProvider("ftp"), new FakeProvider("FTP"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("two providers for scheme 'ftp'");
    }

    @Test
    void namedRemotesResolveWithSubPaths() throws Exception {
        SyncTargets withRemotes = targets.withRemotes(Map.of("photos-ftp",
                new TargetSpec(URI.create("ftp://me@host/photos"), Map.of("password", "pw"))));
        TargetSpec root = withRemotes.parse("photos-ftp:", Map.of());
        assertThat(root.location()).isEqualTo(URI.create("ftp://me@host/photos"));
        assertThat(root.options()).containsEntry("password", "pw");
        TargetSpec sub = withRemotes.parse("photos-ftp:2024/june trip", Map.of());
        assertThat(sub.location().getPath()).isEqualTo("/photos/2024/june trip");
        assertThatThrownBy(() -> withRemotes.parse("photos-ftp:../etc", Map.of()))
                .hasMessageContaining("bad path after remote");
        assertThatThrownBy(() -> withRemotes.parse("nope:x", Map.of())).hasMessageContaining("named remotes: photos-ftp");
        assertThatThrownBy(() -> targets.withRemotes(Map.of("ftp", TargetSpec.of(URI.create("file:///x")))))
                .hasMessageContaining("name of a scheme");
    }

    @Test
    void passwordsInFreeTextAreRedacted() {
        assertThat(SyncTargets.redact("ftp://me:hunter2@host/dir and s3://k:v w@b/"))
                .isEqualTo("ftp://me:***@host/dir and s3://k:***@b/");
        assertThat(SyncTargets.redact("ftp://me@host/dir")).isEqualTo("ftp://me@host/dir");
    }

    @Test
    void secretsAreRedactedInSpecs() {
        TargetSpec spec = new TargetSpec(URI.create("s3://b"), Map.of("secretKey", "SSS", "accessKey", "AKIA",
                "apikey", "K1", "token", "T1", "region", "eu"));
        assertThat(spec.toString()).doesNotContain("SSS", "K1", "T1").contains("AKIA", "eu");
        assertThatThrownBy(() -> new TargetSpec(URI.create("ftp://u:p@h/"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
