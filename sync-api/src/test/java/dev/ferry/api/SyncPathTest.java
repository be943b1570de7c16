package dev.ferry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SyncPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"..", "../x", "a/../b", "a/..", "/abs", "/", "a//b", "a/", "./a", "a/./b", ".",
            "a\\b", "..\\..\\etc\\passwd", "C:\\Windows", "a\u0000b"})
    void rejectsPathsThatCouldEscapeOrAreNotNormal(String bad) {
        assertThatThrownBy(() -> SyncPath.of(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("\u0000");
    }

    @Test
    void errorMessagesNameTheProblem() {
        assertThatThrownBy(() -> SyncPath.of("../../etc/passwd")).hasMessageContaining("'..' segment")
                .hasMessageContaining("../../etc/passwd");
        assertThatThrownBy(() -> SyncPath.of("/etc/passwd")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> SyncPath.of("a\\b")).hasMessageContaining("backslash");
        assertThatThrownBy(() -> SyncPath.of("a\u0000b")).hasMessageContaining("NUL").hasMessageContaining("\\u0000");
        assertThatThrownBy(() -> SyncPath.ROOT.child("a/b")).hasMessageContaining("'/' inside a name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a b/c d.txt", "#%?&+", "...", "..a", ".hidden", "日本/語.txt", "emoji-😀", "e\u0301", "\u00e9"})
    void acceptsOrdinaryAndUnusualNames(String good) {
        assertThat(SyncPath.of(good).toString()).isEqualTo(good);
    }

    @Test
    void keepsNfcAndNfdApart() {
        assertThat(SyncPath.of("\u00e9")).isNotEqualTo(SyncPath.of("e\u0301"));
    }

    @Test
    void navigation() {
        SyncPath p = SyncPath.of("a/b/c.txt");
        assertThat(p.name()).isEqualTo("c.txt");
        assertThat(p.parent()).isEqualTo(SyncPath.of("a/b"));
        assertThat(p.parent().parent().parent()).isEqualTo(SyncPath.ROOT);
        assertThat(SyncPath.ROOT.parent()).isEqualTo(SyncPath.ROOT);
        assertThat(p.depth()).isEqualTo(3);
        assertThat(SyncPath.ROOT.depth()).isZero();
        assertThat(p.segments()).containsExactly("a", "b", "c.txt");
        assertThat(SyncPath.of("a", "b", "c.txt")).isEqualTo(p);
        assertThat(SyncPath.of("a").resolve(SyncPath.of("b/c.txt"))).isEqualTo(p);
        assertThat(SyncPath.of("a").contains(p)).isTrue();
        assertThat(SyncPath.of("a/b/c").contains(SyncPath.of("a/b/c.txt"))).isFalse();
        assertThat(SyncPath.of("a").relativize(p)).isEqualTo(SyncPath.of("b/c.txt"));
        assertThatThrownBy(() -> SyncPath.of("x").relativize(p)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersSegmentBySegmentSoChildrenFollowTheirDirectory() {
        List<SyncPath> l = new ArrayList<>(List.of(SyncPath.of("a-b"), SyncPath.of("a/b"), SyncPath.of("a"),
                SyncPath.of("a.txt"), SyncPath.ROOT, SyncPath.of("a/b/c")));
        Collections.sort(l);
        assertThat(l).extracting(SyncPath::toString).containsExactly("", "a", "a/b", "a/b/c", "a-b", "a.txt");
    }
}
