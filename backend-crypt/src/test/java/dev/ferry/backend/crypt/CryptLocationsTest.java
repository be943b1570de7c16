package dev.ferry.backend.crypt;

import static java.nio.charset.StandardCharsets.UTF_8;
import dev.ferry.testkit.TestSecrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetSpec;
import dev.ferry.api.WriteHints;
import dev.ferry.core.RemotesConfig;
import dev.ferry.core.SyncTargets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code crypt:} is opened: around a path, a URI or a named remote; from a remote section
 * with {@code password = env:…}; with caller options ({@code --dst-opt}); with a sub-path after
 * a named crypt remote; and how passwords stay out of every message.
 */
class CryptLocationsTest {

    @TempDir
    Path tmp;

    @Test
    void aNamedRemoteWrapsAnotherNamedRemoteWithThePasswordFromTheEnvironment() throws IOException {
        Path archive = Files.createDirectories(tmp.resolve("archive"));
        String conf = "[local-archive]\nurl = " + archive + "\n\n"
                + "[vault]\nurl = crypt:local-archive:vault\npassword = env:FERRY_PW\npassword2 = env:FERRY_SALT\n";
        Function<String, String> env = Map.of("FERRY_PW", "from the environment", "FERRY_SALT", "salty")::get;
        SyncTargets base = SyncTargets.load();
        RemotesConfig config = RemotesConfig.parse(conf, "ferry.conf");
        SyncTargets targets = base.withRemotes(config.specs(base, env));
        TargetSpec spec = targets.remotes().get("vault");
        assertThat(spec.toString()).doesNotContain("from the environment").doesNotContain("salty").contains("***");
        try (SyncTarget vault = targets.open("vault:")) {
            assertThat(vault.description()).startsWith("crypt:file:").contains("archive/vault");
            vault.write(SyncPath.of("2024/june/a.txt"), new ByteArrayInputStream("june".getBytes(UTF_8)),
                    WriteHints.ofSize(4));
        }
        // The sub-path after a crypt remote is a plaintext path inside the encrypted view.
        try (SyncTarget june = targets.open("vault:2024/june")) {
            try (InputStream in = june.open(SyncPath.of("a.txt"), 0)) {
                assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("june");
            }
        }
        // Nothing plaintext reached the disk: no "2024", no "june", no "a.txt".
        try (var s = Files.walk(archive)) {
            assertThat(s.map(p -> archive.relativize(p).toString()))
                    .noneMatch(p -> p.contains("2024") || p.contains("june") || p.contains("a.txt"));
        }
    }

    @Test
    void callerOptionsReachTheWrapperAndTheRestReachTheInnerTarget() throws IOException {
        Path dir = tmp.resolve("opts");
        try (SyncTarget t = SyncTargets.load().open("crypt:" + dir,
                Map.of("password", TestSecrets.secret("pw"), "filename_encryption", "off", "fsync", "true"))) {
            t.write(SyncPath.of("x.txt"), new ByteArrayInputStream(new byte[] {1, 2}), WriteHints.ofSize(2));
        }
        assertThat(dir.resolve("x.txt.bin")).exists();
        assertThatThrownBy(() -> SyncTargets.load().open("crypt:" + dir, Map.of("password", TestSecrets.secret("pw"), "fsynk", "true")))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("fsynk");
    }

    @Test
    void relativePathsAndUrisCanBeWrapped() throws IOException {
        Path dir = tmp.resolve("uri");
        try (SyncTarget t = SyncTargets.load().open("crypt:" + dir.toUri(), Map.of("password", TestSecrets.secret("pw")))) {
            assertThat(t.description()).isEqualTo("crypt:" + SyncTargets.load().open(dir.toString()).description());
        }
        TargetSpec relative = SyncTargets.load().parse("crypt:some/relative", Map.of());
        assertThat(relative.location().getSchemeSpecificPart())
                .isEqualTo(Path.of("some/relative").toAbsolutePath().toUri().toString());
    }

    @Test
    void badLocationsAndOptionsAreRefusedClearly() {
        SyncTargets targets = SyncTargets.load();
        assertThatThrownBy(() -> targets.open("crypt:" + tmp, Map.of()))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("needs a password");
        assertThatThrownBy(() -> targets.open("crypt:", Map.of("password", TestSecrets.secret("x"))))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("needs a location");
        assertThatThrownBy(() -> targets.open("crypt:" + tmp, Map.of("password", TestSecrets.secret("x"), "filename_encryption", "rot13")))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("rot13");
        assertThatThrownBy(() -> targets.open("crypt:" + tmp, Map.of("password", "obscured:%%%")))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("not an obscured value")
                .hasMessageNotContaining("%%%");
        assertThatThrownBy(() -> targets.parse("crypt:ftp://me:hunter2@127.0.0.1/dir", Map.of()))
                .isInstanceOf(InvalidTargetException.class).hasMessageNotContaining("hunter2")
                .hasMessageContaining("named remote");
        assertThatThrownBy(() -> targets.withRemotes(Map.of("crypt", TargetSpec.of(tmp.toUri()))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passwordsAreSecretsEverywhere() throws IOException {
        assertThat(TargetSpec.isSecretName("password")).isTrue();
        assertThat(TargetSpec.isSecretName("password2")).isTrue();
        assertThat(new CryptWrapper().options()).filteredOn(o -> o.name().startsWith("password"))
                .hasSize(2).allMatch(o -> o.secret());
        TargetSpec spec = SyncTargets.load().parse("crypt:" + tmp, Map.of("password", TestSecrets.secret("s3cr3t"), "password2", TestSecrets.secret("pepper")));
        assertThat(spec.toString()).doesNotContain(TestSecrets.MARKER);
        try (SyncTarget t = SyncTargets.load().open(spec)) {
            assertThat(t.toString() + t.description()).doesNotContain(TestSecrets.MARKER);
        }
    }
}
