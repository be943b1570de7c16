package dev.ferry.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.core.SyncTargets;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code file} scheme: ServiceLoader registration, URI forms, options. */
class LocalTargetProviderTest {

    @TempDir
    Path tmp;

    @Test
    void registeredThroughServiceLoader() {
        SyncTargets targets = SyncTargets.load();
        assertThat(targets.provider("file")).get().isInstanceOf(LocalTargetProvider.class);
        assertThat(targets.provider("FILE")).isPresent();
        SyncTargetProvider p = targets.provider("file").orElseThrow();
        assertThat(p.options()).extracting(TargetOption::name).containsExactly("followSymlinks", "fsync", "tempMaxAge");
        assertThat(p.options()).noneMatch(TargetOption::secret);
        assertThat(p.description()).isNotBlank();
    }

    @Test
    void plainPathOpensALocalTargetThatWorks() throws IOException {
        try (SyncTarget t = SyncTargets.load().open(tmp.toString())) {
            assertThat(t).isInstanceOf(LocalTarget.class);
            assertThat(t.description()).isEqualTo(tmp.toAbsolutePath().normalize().toUri().toString());
            t.write(SyncPath.of("a/b.txt"), new ByteArrayInputStream(new byte[] {1, 2}), WriteHints.ofSize(2));
        }
        assertThat(Files.readAllBytes(tmp.resolve("a/b.txt"))).containsExactly(1, 2);
    }

    @Test
    void fileUriFormsAllMeanTheSameDirectory() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("with space #1"));
        SyncTargets targets = SyncTargets.load();
        for (String location : new String[] {
                dir.toUri().toString(),                                 // file:///.../with%20space%20%231/
                "file:" + dir.toUri().getRawPath(),                     // file:/...
                "file://localhost" + dir.toUri().getRawPath()}) {
            try (SyncTarget t = targets.open(location)) {
                assertThat(((LocalTarget) t).root()).as(location).isEqualTo(dir);
            }
        }
    }

    @Test
    void optionsFromTheQueryStringAndTheCaller() throws IOException {
        String location = tmp.toUri() + "?followSymlinks=true&fsync=yes&tempMaxAge=90s";
        try (SyncTarget t = SyncTargets.load().open(location)) {
            LocalTargetOptions o = ((LocalTarget) t).options();
            assertThat(o).isEqualTo(new LocalTargetOptions(true, true, Duration.ofSeconds(90)));
        }
        try (SyncTarget t = SyncTargets.load().open(tmp.toString(), Map.of("tempMaxAge", "PT2H"))) {
            assertThat(((LocalTarget) t).options()).isEqualTo(LocalTargetOptions.DEFAULTS.withTempMaxAge(Duration.ofHours(2)));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "fsync, maybe",
        "followSymlinks, 2",
        "tempMaxAge, soon",
        "tempMaxAge, 0s",
        "tempMaxAge, -1h",
        "tempMaxAge, 1x",
        "tempMaxAge, PT-5M",
        "tempMaxAge, ''",
        "fsynk, true"})
    void badOptionValuesNameTheOption(String option, String value) {
        TargetSpec spec = new TargetSpec(tmp.toUri(), Map.of(option, value));
        assertThatThrownBy(() -> new LocalTargetProvider().open(spec))
                .isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining(option);
    }

    @Test
    void badLocationsAreRefused() throws IOException {
        LocalTargetProvider provider = new LocalTargetProvider();
        Path file = Files.writeString(tmp.resolve("plain.txt"), "x");
        assertThatThrownBy(() -> provider.open(TargetSpec.of(URI.create("file://otherhost/srv"))))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("another host");
        assertThatThrownBy(() -> provider.open(TargetSpec.of(URI.create("file:relative/dir"))))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> provider.open(TargetSpec.of(file.toUri())))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> provider.open(TargetSpec.of(URI.create("s3://bucket/x"))))
                .isInstanceOf(InvalidTargetException.class);
    }

    @Test
    void missingRootIsAcceptedAtOpen() throws IOException {
        try (SyncTarget t = SyncTargets.load().open(tmp.resolve("later").toString())) {
            assertThat(t).isInstanceOf(LocalTarget.class);
        }
    }
}
