package dev.ferry.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.core.SyncTargets;
import dev.ferry.api.TargetSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Locations and options: what each URI means, and what is refused. */
class WebDavProviderTest {

    private static WebDavOptions parse(String location, Map<String, String> options) throws InvalidTargetException {
        TargetSpec spec = SyncTargets.load().parse(location, options);
        return WebDavOptions.parse(spec);
    }

    @Test
    void allThreeSchemesAreFoundByTheServiceLoader() {
        assertThat(SyncTargets.load().providers()).containsKeys("webdav", "webdavs", "nextcloud");
    }

    @Test
    void nextcloudMeansTheFilesTreeOfTheUserOverHttps() throws Exception {
        WebDavOptions o = parse("nextcloud://cloud.example.org/alice/Photos/2024%20Summer", Map.of("password", "app-pass"));
        assertThat(o.origin()).isEqualTo("https://cloud.example.org");
        assertThat(o.rootSegments()).containsExactly("remote.php", "dav", "files", "alice", "Photos", "2024 Summer");
        assertThat(o.uploadSegments()).containsExactly("remote.php", "dav", "uploads", "alice");
        assertThat(o.user()).isEqualTo("alice");
        assertThat(DavPaths.url(o.origin(), o.rootSegments(), true))
                .isEqualTo("https://cloud.example.org/remote.php/dav/files/alice/Photos/2024%20Summer/");
        assertThat(o.chunkSize()).isEqualTo(10L << 20);
    }

    @Test
    void nextcloudLoginNameMayDifferFromTheUserIdAndHttpIsAnOption() throws Exception {
        WebDavOptions o = parse("nextcloud://alice%40example.org@localhost:8080/a1b2c3",
                Map.of("plainHttp", "true", "password", "x"));
        assertThat(o.origin()).isEqualTo("http://localhost:8080");
        assertThat(o.user()).isEqualTo("alice@example.org");
        assertThat(o.rootSegments()).containsExactly("remote.php", "dav", "files", "a1b2c3");
    }

    @Test
    void genericSchemesMapToHttpAndHttps() throws Exception {
        WebDavOptions plain = parse("webdav://bob@nas.local:8080/share/a%2Bb", Map.of());
        assertThat(plain.origin()).isEqualTo("http://nas.local:8080");
        assertThat(plain.rootSegments()).containsExactly("share", "a+b");
        assertThat(plain.user()).isEqualTo("bob");
        assertThat(parse("webdavs://nas.local/", Map.of()).origin()).isEqualTo("https://nas.local");
        assertThat(parse("webdavs://nas.local/", Map.of()).kind()).isEqualTo(WebDavOptions.Kind.GENERIC);
    }

    @Test
    void badOptionsAndPathsAreRefused() {
        assertThatThrownBy(() -> parse("webdav://h/x", Map.of("chunkSize", "6000000")))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("unknown option 'chunkSize'");
        assertThatThrownBy(() -> parse("nextcloud://h/u", Map.of("chunkSize", "1000")))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("chunkSize");
        assertThatThrownBy(() -> parse("nextcloud://h/", Map.of()))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("user id");
        assertThatThrownBy(() -> parse("webdav://h/a/%2E%2E/b", Map.of()))
                .isInstanceOf(InvalidTargetException.class);
        assertThatThrownBy(() -> parse("webdav://h/a", Map.of("connections", "0")))
                .isInstanceOf(InvalidTargetException.class);
    }

    @Test
    void thePasswordIsNeverShown() throws Exception {
        WebDavOptions o = parse("webdav://bob:hunter2-secret@nas.local/share", Map.of());
        assertThat(o.password()).isEqualTo("hunter2-secret");
        assertThat(o.toString()).doesNotContain("hunter2");
        assertThat(o.description()).isEqualTo("webdav://bob@nas.local/share").doesNotContain("hunter2");
    }

    @Test
    void namesAreDecodedExactlyOnce() {
        assertThat(DavPaths.decode("100%25.txt")).contains("100%.txt");
        assertThat(DavPaths.decode("%2541")).contains("%41");
        assertThat(DavPaths.decode("a+b")).contains("a+b");
        assertThat(DavPaths.decode("%E6%97%A5")).contains("日");
        assertThat(DavPaths.decode("%zz")).isEmpty();
        assertThat(DavPaths.decode("%C3")).as("not UTF-8").isEmpty();
        assertThat(DavPaths.hrefSegments("https://h/a%2Fb/c%25/")).contains(List.of("a/b", "c%"));
        assertThat(DavPaths.encode("a b#?%&+é")).isEqualTo("a%20b%23%3F%25%26%2B%C3%A9");
    }
}
