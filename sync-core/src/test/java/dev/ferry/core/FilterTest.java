package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FilterTest {

    static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");

    static boolean includes(Filter f, String path) {
        return f.includesFile(Entry.file(SyncPath.of(path), 1).modTime(NOW).build(), NOW);
    }

    @Test
    void unanchoredPatternsMatchAtAnyDepthAnchoredOnlyAtTheRoot() {
        Filter f = Filter.builder().exclude("*.tmp").exclude("/build/**").build();
        assertThat(includes(f, "x.tmp")).isFalse();
        assertThat(includes(f, "a/b/x.tmp")).isFalse();
        assertThat(includes(f, "build/out.o")).isFalse();
        assertThat(includes(f, "src/build/out.o")).isTrue();
        assertThat(includes(f, "x.tmpl")).isTrue();
    }

    @Test
    void starStaysInOneNameDoubleStarCrosses() {
        Filter f = Filter.builder().include("/docs/*.md").build();
        assertThat(includes(f, "docs/a.md")).isTrue();
        assertThat(includes(f, "docs/sub/a.md")).isFalse();
        Filter g = Filter.builder().include("/docs/**.md").build();
        assertThat(includes(g, "docs/sub/a.md")).isTrue();
    }

    @Test
    void firstMatchWinsAndIncludesMeanOnly() {
        Filter f = Filter.builder().exclude("secret.jpg").include("*.{jpg,png}").build();
        assertThat(includes(f, "a.jpg")).isTrue();
        assertThat(includes(f, "b/c.png")).isTrue();
        assertThat(includes(f, "secret.jpg")).isFalse();
        assertThat(includes(f, "notes.txt")).isFalse();
    }

    @Test
    void classesAndQuestionMarks() {
        Filter f = Filter.builder().exclude("img_[0-9]?.raw").exclude("[!a]*.bak").build();
        assertThat(includes(f, "img_12.raw")).isFalse();
        assertThat(includes(f, "img_x2.raw")).isTrue();
        assertThat(includes(f, "zz.bak")).isFalse();
        assertThat(includes(f, "aa.bak")).isTrue();
    }

    @Test
    void directoriesArePrunedOnlyByExcludeDoubleStarWithoutIncludes() {
        Filter f = Filter.builder().exclude("node_modules/**").build();
        assertThat(f.includesDirectory(SyncPath.of("app/node_modules"))).isFalse();
        assertThat(f.includesDirectory(SyncPath.of("app/src"))).isTrue();
        Filter g = Filter.builder().include("*.jpg").exclude("**").build();
        assertThat(g.includesDirectory(SyncPath.of("deep"))).isTrue();
        assertThat(includes(g, "deep/a.jpg")).isTrue();
    }

    @Test
    void malformedGlobsAreClearErrors() {
        assertThatThrownBy(() -> Filter.builder().include("[abc")).hasMessageContaining("unclosed '['");
        assertThatThrownBy(() -> Filter.builder().include("{a,b")).hasMessageContaining("unclosed '{'");
        assertThatThrownBy(() -> Filter.builder().include("a}")).hasMessageContaining("unmatched '}'");
    }
}
