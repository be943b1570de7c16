package dev.ferry.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import dev.ferry.backend.support.ForwardingTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two folders of one local file system: a one-way copy between them is done by the file system. */
class LocalStoreCopyTest {

    @TempDir
    Path tmp;

    @Test
    void aFolderOnTheSameFileStoreCopiesWithItsTimeAndNothingVisibleHalfWay() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Files.writeString(a.resolve("f.txt"), "content");
        Instant t = Instant.parse("2023-05-06T07:08:09.123456789Z");
        Files.setLastModifiedTime(a.resolve("f.txt"), FileTime.from(t));
        try (LocalTarget src = new LocalTarget(a); LocalTarget dst = new LocalTarget(tmp.resolve("b"))) {
            assertThat(dst.canCopyFrom(src)).isTrue();
            Entry e = dst.copyFrom(src, SyncPath.of("f.txt"), SyncPath.of("d/g.txt"));
            assertThat(e.size()).isEqualTo(7);
            assertThat(e.modTime()).contains(t);
            assertThat(tmp.resolve("b/d/g.txt")).hasContent("content");
            try (var names = Files.list(tmp.resolve("b/d"))) {
                assertThat(names.map(p -> p.getFileName().toString())).containsExactly("g.txt");
            }
        }
    }

    @Test
    void anythingButAnotherLocalFolderIsRefused() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Files.writeString(a.resolve("f.txt"), "x");
        try (LocalTarget src = new LocalTarget(a); LocalTarget dst = new LocalTarget(tmp.resolve("b"))) {
            ForwardingTarget wrapped = new ForwardingTarget(src) { };
            assertThat(dst.canCopyFrom(wrapped)).as("a wrapper may change content").isFalse();
            assertThatThrownBy(() -> dst.copyFrom(wrapped, SyncPath.of("f.txt"), SyncPath.of("f.txt")))
                    .hasMessageContaining("cannot copy from");
        }
    }
}
