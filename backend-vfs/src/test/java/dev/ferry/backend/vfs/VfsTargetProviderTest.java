package dev.ferry.backend.vfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.PermissionDeniedException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetSpec;
import dev.ferry.api.WriteHints;
import dev.ferry.testkit.Listings;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VfsTargetProviderTest {

    @TempDir
    Path dir;

    @Test
    void unknownSchemeIsRefusedNamingTheAvailableOnes() {
        assertThatThrownBy(() -> new VfsTargetProvider().open(TargetSpec.of(URI.create("vfs:nosuch://h/x"))))
                .isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("nosuch")
                .hasMessageContaining("available:")
                .hasMessageContaining("zip");
    }

    @Test
    void zipIsReadableAndRefusesWrites() throws Exception {
        Path zip = dir.resolve("a.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("dir/a.txt"));
            z.write("hello".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        try (SyncTarget t = new VfsTargetProvider().open(TargetSpec.of(URI.create("vfs:zip:" + zip.toUri() + "!/dir")))) {
            assertThat(((VfsTarget) t).readOnly()).isTrue();
            assertThat(t.capabilities().keepsModTime()).isFalse();
            assertThat(Listings.collect(t, SyncPath.ROOT).names()).containsExactly("a.txt");
            try (var in = t.open(SyncPath.of("a.txt"), 1)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ello");
            }
            assertThatThrownBy(() -> t.write(SyncPath.of("b.txt"), new ByteArrayInputStream(new byte[1]), WriteHints.ofSize(1)))
                    .isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("read-only");
        }
    }

    @Test
    void fileTargetIsWritableAndKeepsTimes() throws Exception {
        try (SyncTarget t = new VfsTargetProvider().open(TargetSpec.of(URI.create("vfs:" + dir.toUri())))) {
            assertThat(((VfsTarget) t).readOnly()).isFalse();
            assertThat(t.capabilities().keepsModTime()).isTrue();
            assertThat(t.description()).startsWith("vfs:file://");
        }
    }
}
