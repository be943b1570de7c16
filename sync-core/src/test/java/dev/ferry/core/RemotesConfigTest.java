package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.core.SyncTargets;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemotesConfigTest {

    private static SyncTargetProvider provider(String scheme, TargetOption... options) {
        return new SyncTargetProvider() {
            @Override
            public String scheme() {
                return scheme;
            }

            @Override
            public String description() {
                return "fake " + scheme;
            }

            @Override
            public List<TargetOption> options() {
                return List.of(options);
            }

            @Override
            public SyncTarget open(TargetSpec spec) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static final SyncTargets TARGETS = SyncTargets.of(List.of(
            provider("file"),
            provider("ftp", TargetOption.of("passive", "passive mode"), TargetOption.secret("password", "pw")),
            provider("s3", TargetOption.of("region", "region"), TargetOption.secret("secret-key", "key"))));

    private static final Function<String, String> NO_ENV = k -> null;

    private static Function<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m::get;
    }

    @Test
    void parsesSectionsCommentsAndOptions() throws Exception {
        RemotesConfig c = RemotesConfig.parse("""
                \uFEFF# a comment
                ; another

                [photos-ftp]
                url = ftp://me@ftp.example.com/photos?passive=false
                passive = true
                  note = "  spaced  "

                [backup]
                url=/srv/backup
                """, "test.conf");
        assertThat(c.names()).containsExactly("photos-ftp", "backup");

        TargetSpec ftp = c.spec("photos-ftp", TARGETS, NO_ENV);
        assertThat(ftp.location()).isEqualTo(URI.create("ftp://me@ftp.example.com/photos"));
        assertThat(ftp.options()).containsEntry("user", "me")
                .containsEntry("passive", "true") // the file's key wins over the URL's query
                .containsEntry("note", "  spaced  ");

        TargetSpec backup = c.spec("backup", TARGETS, NO_ENV);
        assertThat(backup.scheme()).isEqualTo("file");
        assertThat(backup.location().getPath()).isEqualTo("/srv/backup");
    }

    @Test
    void specsFeedWithRemotes() throws Exception {
        RemotesConfig c = RemotesConfig.parse("[backup]\nurl = /srv/backup\n", "t.conf");
        SyncTargets withRemotes = TARGETS.withRemotes(c.specs(TARGETS, NO_ENV));
        TargetSpec sub = withRemotes.parse("backup:2024/june", Map.of());
        assertThat(sub.location().getPath()).isEqualTo("/srv/backup/2024/june");
    }

    @Test
    void envValueAndEnvOverride() throws Exception {
        RemotesConfig c = RemotesConfig.parse("""
                [photos-ftp]
                url = ftp://me@host/dir
                password = env:MY_FTP_PASS
                passive = false
                """, "t.conf");
        TargetSpec spec = c.spec("photos-ftp", TARGETS, env(
                "MY_FTP_PASS", "hunter2",
                "FERRY_REMOTE_PHOTOS_FTP_PASSIVE", "true"));
        assertThat(spec.options()).containsEntry("password", "hunter2").containsEntry("passive", "true");
        assertThat(spec.toString()).doesNotContain("hunter2");
    }

    @Test
    void envSuppliesDeclaredAndUserinfoOptionsAndUrl() throws Exception {
        RemotesConfig c = RemotesConfig.parse("[my.s3]\n# url from env\n", "t.conf");
        TargetSpec spec = c.spec("my.s3", TARGETS, env(
                "FERRY_REMOTE_MY_S3_URL", "s3://bucket/dir",
                "FERRY_REMOTE_MY_S3_SECRET_KEY", "k3y",
                "FERRY_REMOTE_MY_S3_PASSWORD", "pw",
                "FERRY_REMOTE_MY_S3_UNDECLARED", "ignored"));
        assertThat(spec.location()).isEqualTo(URI.create("s3://bucket/dir"));
        assertThat(spec.options()).containsEntry("secret-key", "k3y").containsEntry("password", "pw")
                .doesNotContainKey("undeclared");
        assertThat(RemotesConfig.environmentVariable("photos-ftp", "secret-key"))
                .isEqualTo("FERRY_REMOTE_PHOTOS_FTP_SECRET_KEY");
    }

    @Test
    void unsetEnvVariableNamesFileLineAndVariable() throws Exception {
        RemotesConfig c = RemotesConfig.parse("[a1]\nurl = ftp://h/d\n\npassword = env:NOPE\n", "x.conf");
        assertThatThrownBy(() -> c.spec("a1", TARGETS, NO_ENV))
                .isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("x.conf:4")
                .hasMessageContaining("NOPE");
    }

    @Test
    void syntaxErrorsNameFileAndLine() {
        assertThatThrownBy(() -> RemotesConfig.parse("url = /x\n", "a.conf"))
                .isInstanceOf(InvalidTargetException.class).hasMessageStartingWith("a.conf:1:");
        assertThatThrownBy(() -> RemotesConfig.parse("[ok]\nurl = /x\njunk\n", "a.conf"))
                .hasMessageStartingWith("a.conf:3:");
        assertThatThrownBy(() -> RemotesConfig.parse("[ok]\nurl = /x\n[ok]\n", "a.conf"))
                .hasMessageStartingWith("a.conf:3:").hasMessageContaining("twice");
        assertThatThrownBy(() -> RemotesConfig.parse("[ok]\nurl = /x\nurl = /y\n", "a.conf"))
                .hasMessageStartingWith("a.conf:3:");
        assertThatThrownBy(() -> RemotesConfig.parse("[x]\nurl = /x\n", "a.conf"))
                .hasMessageStartingWith("a.conf:1:").hasMessageContaining("two characters");
        assertThatThrownBy(() -> RemotesConfig.parse("[ok\n", "a.conf"))
                .hasMessageStartingWith("a.conf:1:");
    }

    @Test
    void resolutionErrorsNameTheRemote() throws Exception {
        RemotesConfig c = RemotesConfig.parse("""
                [nourl]
                region = x
                [relative]
                url = photos
                [unknown]
                url = gopher://h/x
                [ftp]
                url = /x
                """, "r.conf");
        assertThatThrownBy(() -> c.spec("nourl", TARGETS, NO_ENV)).hasMessageContaining("r.conf:1")
                .hasMessageContaining("url");
        assertThatThrownBy(() -> c.spec("relative", TARGETS, NO_ENV)).hasMessageContaining("r.conf:4")
                .hasMessageContaining("relative");
        assertThatThrownBy(() -> c.spec("unknown", TARGETS, NO_ENV)).hasMessageContaining("r.conf:6")
                .hasMessageContaining("unknown scheme");
        assertThatThrownBy(() -> c.spec("ftp", TARGETS, NO_ENV)).hasMessageContaining("name of a URI scheme");
        // One broken remote does not stop the others.
        assertThatThrownBy(() -> c.specs(TARGETS, NO_ENV)).isInstanceOf(InvalidTargetException.class);
    }

    @Test
    void passwordInUrlBecomesAnOptionAndIsRedacted() throws Exception {
        RemotesConfig c = RemotesConfig.parse("[ftp1]\nurl = ftp://me:s3cr3t@host/dir\n", "t.conf");
        TargetSpec spec = c.spec("ftp1", TARGETS, NO_ENV);
        assertThat(spec.options()).containsEntry("password", "s3cr3t");
        assertThat(spec.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void loadDefaultMissingIsEmptyButNamedMissingIsAnError(@TempDir Path dir) throws Exception {
        Function<String, String> xdg = env("XDG_CONFIG_HOME", dir.toString());
        assertThat(RemotesConfig.defaultPath(xdg)).isEqualTo(dir.resolve("ferry/ferry.conf"));
        assertThat(RemotesConfig.load(null, xdg).isEmpty()).isTrue();

        Path missing = dir.resolve("nope.conf");
        assertThatThrownBy(() -> RemotesConfig.load(missing, xdg))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("nope.conf");
        assertThatThrownBy(() -> RemotesConfig.load(null, env("FERRY_CONFIG", missing.toString())))
                .isInstanceOf(InvalidTargetException.class);

        Files.createDirectories(dir.resolve("ferry"));
        Files.writeString(dir.resolve("ferry/ferry.conf"), "[home-disk]\nurl = /mnt/disk\n");
        assertThat(RemotesConfig.load(null, xdg).names()).containsExactly("home-disk");
    }

    @Test
    void warnsWhenOthersMayReadASecret(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ferry.conf");
        Files.writeString(f, "[ftp1]\nurl = ftp://me@host/\npassword = hunter2\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system
        }
        RemotesConfig open = RemotesConfig.read(f);
        assertThat(open.warnings()).singleElement().asString()
                .contains("password").contains("chmod 600").doesNotContain("hunter2");

        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertThat(RemotesConfig.read(f).warnings()).isEmpty();

        Files.writeString(f, "[ftp1]\nurl = ftp://me@host/\npassword = env:X\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(RemotesConfig.read(f).warnings()).isEmpty();
    }
}
