package dev.ferry.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhotoboothTest {

    @Test
    void everyPhotoReachesBothRemotesAtOnce(@TempDir Path tmp) throws Exception {
        Path photos = tmp.resolve("booth");
        Files.createDirectories(photos);
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        try {
            Photobooth.main(new String[] {photos.toString(), tmp.resolve("r1").toString(), tmp.resolve("r2").toString(), "3"});
        } finally {
            System.setOut(old);
        }
        assertThat(out.toString()).contains("IMG_0003.jpg -> remote-1: uploaded").contains("IMG_0003.jpg -> remote-2: uploaded");
        for (String remote : new String[] {"r1", "r2"}) {
            try (Stream<Path> files = Files.walk(tmp.resolve(remote))) {
                assertThat(files.filter(Files::isRegularFile)).hasSize(3);
            }
        }
    }
}
