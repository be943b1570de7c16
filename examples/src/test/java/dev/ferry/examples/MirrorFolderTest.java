package dev.ferry.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorFolderTest {

    @Test
    void mirrorsTheSampleTreeAndLeavesTmpFilesOut(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("a"));
        Files.writeString(src.resolve("a/keep.txt"), "keep");
        Files.writeString(src.resolve("scratch.tmp"), "tmp");
        Path dst = tmp.resolve("dst");
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        try {
            MirrorFolder.main(new String[] {src.toString(), dst.toString()});
        } finally {
            System.setOut(old);
        }
        assertThat(out.toString()).contains("1 to copy, 0 to delete").contains("in sync");
        assertThat(Files.readString(dst.resolve("a/keep.txt"))).isEqualTo("keep");
        assertThat(dst.resolve("scratch.tmp")).doesNotExist();
    }
}
