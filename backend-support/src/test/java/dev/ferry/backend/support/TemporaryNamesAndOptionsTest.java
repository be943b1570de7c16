package dev.ferry.backend.support;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemporaryNamesAndOptionsTest {

    @Test
    void temporaryNamesFitIn255BytesAndAreRecognised() {
        String longest = "日".repeat(85); // 255 bytes
        String temp = TemporaryNames.newName(longest);
        assertThat(temp.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(TemporaryNames.isTemporary(temp)).isTrue();
        assertThat(TemporaryNames.isTemporary(TemporaryNames.newName("photo.jpg"))).isTrue();
        assertThat(TemporaryNames.newName("a")).isNotEqualTo(TemporaryNames.newName("a"));

        String emoji = "😀".repeat(100); // 400 bytes, surrogate pairs
        String cut = TemporaryNames.truncateUtf8(emoji, 10);
        assertThat(cut).isEqualTo("😀😀");
        assertThat(TemporaryNames.isTemporary(TemporaryNames.newName(emoji))).isTrue();

        for (String user : new String[] {"photo.jpg.partial", ".ferry-x.partial", ".ferry-ABCDEFGHIJKL.x.partial",
                ".ferry-abcdefghijkl.x.partial.txt", ".ferry-abcdefghijk.x.partial"}) {
            assertThat(TemporaryNames.isTemporary(user)).as(user).isFalse();
        }
    }

    static TargetSpec spec(String name, String value) {
        return new TargetSpec(URI.create("x://h/p"), Map.of(name, value));
    }

    @ParameterizedTest
    @CsvSource({"PT1H, 3600", "pt30m, 1800", "1h, 3600", "1h30m, 5400", "90s, 90", "2d, 172800", "P1D, 86400"})
    void durationForms(String text, long seconds) throws InvalidTargetException {
        assertThat(SpecOptions.duration(spec("t", text), "t", Duration.ZERO)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void badValuesNameTheOption() throws InvalidTargetException {
        for (String bad : new String[] {"-1h", "1x", "PT-5M", "", "0s"}) {
            assertThatThrownBy(() -> SpecOptions.duration(spec("tempMaxAge", bad), "tempMaxAge", Duration.ZERO))
                    .isInstanceOf(InvalidTargetException.class).hasMessageContaining("tempMaxAge");
        }
        assertThat(SpecOptions.flag(spec("f", "YES"), "f", false)).isTrue();
        assertThat(SpecOptions.flag(spec("f", "off"), "f", true)).isFalse();
        assertThat(SpecOptions.flag(spec("f", "x"), "g", true)).isTrue();
        assertThatThrownBy(() -> SpecOptions.flag(spec("f", "maybe"), "f", false)).hasMessageContaining("'f' must be true or false");
        assertThat(SpecOptions.number(spec("n", "8"), "n", 1, 1, 16)).isEqualTo(8);
        assertThatThrownBy(() -> SpecOptions.number(spec("n", "99"), "n", 1, 1, 16)).hasMessageContaining("from 1 to 16");
        assertThatThrownBy(() -> SpecOptions.requireKnown(spec("fsynk", "true"), List.of(TargetOption.of("fsync", "d"))))
                .hasMessageContaining("unknown option 'fsynk'").hasMessageContaining("known: fsync");
        SpecOptions.requireKnown(spec("FSYNC", "true"), List.of(TargetOption.of("fsync", "d")));
        assertThat(SpecOptions.flag(spec("FSYNC", "true"), "fsync", false)).as("names match ignoring case").isTrue();
    }

    @Test
    void resumeTokensNameATemporaryFileBesideAPathAndRefuseAnythingElse() {
        String temp = TemporaryNames.newName("video.mp4");
        TemporaryNames.ResumeToken t = new TemporaryNames.ResumeToken(temp, SyncPath.of("2024/video.mp4"));
        assertThat(TemporaryNames.ResumeToken.parse(t.toString())).contains(t);
        assertThat(TemporaryNames.ResumeToken.parse("s3-multipart:16777216:abc:key")).isEmpty();
        assertThat(TemporaryNames.ResumeToken.parse(temp + "/../etc/passwd")).isEmpty();
        assertThat(TemporaryNames.ResumeToken.parse("video.mp4/2024/video.mp4")).as("not a temporary name").isEmpty();
        assertThat(TemporaryNames.ResumeToken.parse(temp + "/")).as("the root").isEmpty();
    }
}
