package dev.ferry.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.util.List;

/**
 * Fuzzes {@link SyncPath#of(String)}, the gate every listed name passes. Contract: either an
 * {@link IllegalArgumentException} or a path that cannot escape a root (no empty, {@code .} or
 * {@code ..} segment, no NUL or backslash, not absolute) and that round-trips through its
 * segments, its parent and {@code relativize}. A plain {@code mvn verify} replays the corpus in
 * {@code src/test/resources/dev/ferry/api/SyncPathFuzzTestInputs/parse}; {@code JAZZER_FUZZ=1}
 * fuzzes.
 */
class SyncPathFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void parse(@NotNull String input) {
        SyncPath p;
        try {
            p = SyncPath.of(input);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(p.toString()).isEqualTo(input);
        if (p.isRoot()) {
            return;
        }
        List<String> segments = p.segments();
        for (String s : segments) {
            assertThat(s).isNotEmpty().isNotEqualTo(".").isNotEqualTo("..").doesNotContain("\0", "\\", "/");
        }
        assertThat(SyncPath.of(segments.get(0), segments.subList(1, segments.size()).toArray(String[]::new)))
                .isEqualTo(p);
        assertThat(p.parent().child(p.name())).isEqualTo(p);
        assertThat(p.depth()).isEqualTo(segments.size());
        assertThat(SyncPath.ROOT.contains(p)).isTrue();
        assertThat(p.parent().contains(p)).isTrue();
        assertThat(p.parent().resolve(p.parent().relativize(p))).isEqualTo(p);
        assertThat(p.compareTo(p.parent())).isPositive();
    }
}
