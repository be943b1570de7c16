package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnitsAndFormatTest {

    @Test
    void sizesAreBinaryAndDefaultToKiB() {
        assertThat(Units.parseSize("100")).isEqualTo(100 * 1024);
        assertThat(Units.parseSize("0")).isZero();
        assertThat(Units.parseSize("512B")).isEqualTo(512);
        assertThat(Units.parseSize("10K")).isEqualTo(10 * 1024);
        assertThat(Units.parseSize("10KiB")).isEqualTo(10 * 1024);
        assertThat(Units.parseSize("1.5G")).isEqualTo(3L << 29);
        assertThat(Units.parseSize("2m")).isEqualTo(2L << 20);
        assertThat(Units.parseSize("1T")).isEqualTo(1L << 40);
        assertThat(Units.parseSize("off")).isEqualTo(-1);
        assertThatThrownBy(() -> Units.parseSize("12X")).hasMessageContaining("12X");
        assertThatThrownBy(() -> Units.parseSize("-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Units.parseSize("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durations() {
        assertThat(Units.parseDuration("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Units.parseDuration("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Units.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Units.parseDuration("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Units.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Units.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Units.parseDuration("1w")).isEqualTo(Duration.ofDays(7));
        assertThat(Units.parseDuration("1M")).isEqualTo(Duration.ofDays(30));
        assertThat(Units.parseDuration("1y")).isEqualTo(Duration.ofDays(365));
        assertThat(Units.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Units.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Units.parseDuration("PT2S")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Units.parseDuration("off")).isNull();
        for (String bad : List.of("", "soon", "2x", "h", "10 m", "5s3", "-1s")) {
            assertThatThrownBy(() -> Units.parseDuration(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void humanFormats() {
        assertThat(Format.bytes(0)).isEqualTo("0 B");
        assertThat(Format.bytes(1023)).isEqualTo("1023 B");
        assertThat(Format.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Format.bytes(200L << 20)).isEqualTo("200 MiB");
        assertThat(Format.duration(Duration.ofMillis(1234))).isEqualTo("1.2 s");
        assertThat(Format.duration(Duration.ofSeconds(245))).isEqualTo("4m05s");
        assertThat(Format.duration(Duration.ofMinutes(123))).isEqualTo("2h03m");
        assertThat(Format.eta(42)).isEqualTo("42s");
        assertThat(Format.rate(0)).isEqualTo("0 B/s");
    }

    @Test
    void safeText() {
        assertThat(Format.safe("a\nb\u001b[31m\\c")).isEqualTo("a\\x0ab\\x1b[31m\\\\c");
        assertThat(Format.safe("plain ümlaut")).isEqualTo("plain ümlaut");
    }

    @Test
    void jsonEscapesEverythingAndParses() {
        String nasty = "q\"b\\s/\n\t\u0001\u2028 é \uD83D\uDE00 lone\uD800";
        String json = new Json().beginObject()
                .field("s", nasty)
                .field("n", -5L)
                .field("d", 1.5)
                .field("t", true)
                .field("z", (String) null)
                .name("a").beginArray().value(1L).beginObject().endObject().beginArray().endArray().endArray()
                .endObject().toString();
        assertThat(json).doesNotContain("\n").contains("\\u2028").contains("\\ud800").contains("\uD83D\uDE00");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) MiniJson.parse(json);
        assertThat(m.get("s")).isEqualTo(nasty);
        assertThat(m).containsEntry("n", -5L).containsEntry("d", 1.5).containsEntry("t", true).containsEntry("z", null);
        assertThat((List<?>) m.get("a")).hasSize(3);
    }
}
