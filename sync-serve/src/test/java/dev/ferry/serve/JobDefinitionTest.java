package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.core.ConfigFile;
import dev.ferry.core.SyncMode;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobDefinitionTest {

    static List<JobDefinition> parse(String text) throws InvalidTargetException {
        return JobDefinition.all(ConfigFile.parse(text, "ferry.conf"));
    }

    @Test
    void readsTheIssuesExample() throws Exception {
        JobDefinition j = parse("""
                [photos-ftp]
                url = ftp://me@example.com/photos

                [job photos]
                source = /srv/photobooth/photos
                destination = photos-ftp:booth
                destination = s3-archive:booth
                mode = copy
                filter = - *.tmp
                every = 5m
                watch = true
                at = 03:00
                """).get(0);
        assertThat(j.name()).isEqualTo("photos");
        assertThat(j.source()).contains("/srv/photobooth/photos");
        assertThat(j.destinations()).containsExactly("photos-ftp:booth", "s3-archive:booth");
        assertThat(j.mode()).isEqualTo(SyncMode.COPY);
        assertThat(j.filters()).containsExactly("-*.tmp");
        assertThat(j.every()).contains(Duration.ofMinutes(5));
        assertThat(j.watch()).isTrue();
        assertThat(j.at()).containsExactly(LocalTime.of(3, 0));
        assertThat(j.line()).isEqualTo(4);
    }

    @Test
    void modesAndDurations() throws Exception {
        assertThat(parse("[job a1]\nsource=/a\ndestination=/b\nmode=two-way\nevery=1h30m\n").get(0))
                .satisfies(j -> {
                    assertThat(j.mode()).isEqualTo(SyncMode.TWO_WAY);
                    assertThat(j.every()).contains(Duration.ofMinutes(90));
                    assertThat(j.watch()).isFalse();
                });
        assertThat(parse("[job a1]\npair = data\n").get(0).pair()).contains("data");
    }

    @Test
    void mistakesNameFileLineAndJob() {
        assertThatThrownBy(() -> parse("[job a1]\ndestination=/b\n")).hasMessage("ferry.conf:1: [job a1] has no 'source' (or 'pair')");
        assertThatThrownBy(() -> parse("[job a1]\nsource=/a\n")).hasMessageContaining("no 'destination'");
        assertThatThrownBy(() -> parse("[job a1]\nsource=/a\ndestination=/b\nmode=sideways\n"))
                .hasMessageContaining("mode 'sideways' is not copy, mirror or two-way");
        assertThatThrownBy(() -> parse("[job a1]\nsource=/a\ndestination=/b\nevery=soon\n"))
                .hasMessageContaining("every 'soon' is not a duration");
        assertThatThrownBy(() -> parse("[job a1]\nsource=/a\ndestination=/b\nwatch=maybe\n"))
                .hasMessageContaining("watch 'maybe' is not true or false");
        assertThatThrownBy(() -> parse("[job a1]\nsource=/a\ndestination=/b\nat=25:00\n"))
                .hasMessageContaining("at '25:00' is not a time of day");
        assertThatThrownBy(() -> parse("[job a1]\nsource=/a\ndestination=/b\nfilter=*.tmp\n"))
                .hasMessageContaining("+GLOB or -GLOB");
        assertThatThrownBy(() -> parse("[job a1]\nsource=/a\ndestination=/b\nsorce=/x\n"))
                .hasMessage("ferry.conf:4: [job a1] has an unknown option 'sorce' (known: at, debounce, destination, "
                        + "every, filter, mode, pair, source, watch)");
        assertThatThrownBy(() -> parse("[job a1]\npair=p1\nsource=/a\n")).hasMessageContaining("not both");
        assertThatThrownBy(() -> parse("[job a1]\nsource=/a\nsource=/c\ndestination=/b\n"))
                .hasMessageContaining("sets 'source' more than once");
    }
}
