package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.TransientSyncException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferStreamTest {

    @TempDir
    Path tmp;

    @Test
    void fileToFileUsesTheKernelCopyAndStillCountsEveryByte() throws Exception {
        byte[] data = new byte[20 << 20];
        new Random(1).nextBytes(data);
        Path src = Files.write(tmp.resolve("src"), data);
        Path dst = tmp.resolve("dst");
        AtomicLong progress = new AtomicLong();
        try (FileInputStream in = new FileInputStream(src.toFile());
                FileOutputStream out = new FileOutputStream(dst.toFile());
                TransferStream t = new TransferStream(in, "src", data.length, Set.of(), null, progress::addAndGet)) {
            assertThat(t.transferTo(out)).isEqualTo(data.length);
            assertThat(t.count()).isEqualTo(data.length);
        }
        assertThat(progress.get()).isEqualTo(data.length);
        assertThat(Files.readAllBytes(dst)).isEqualTo(data);
    }

    @Test
    void kernelCopyNoticesASourceThatGrewOrShrank() throws Exception {
        Path src = Files.write(tmp.resolve("src"), new byte[1000]);
        for (long listed : new long[] {999, 1001}) {
            try (FileInputStream in = new FileInputStream(src.toFile());
                    FileOutputStream out = new FileOutputStream(tmp.resolve("dst" + listed).toFile());
                    TransferStream t = new TransferStream(in, "src", listed, Set.of(), null, n -> {})) {
                assertThatThrownBy(() -> t.transferTo(out)).isInstanceOf(TransferStream.SourceChangedException.class)
                        .hasMessageContaining(listed == 999 ? "grew" : "changed while");
            }
        }
    }

    @Test
    void plainStreamsHashWhatTheyRead() throws Exception {
        byte[] data = "hello".getBytes();
        try (TransferStream t = new TransferStream(new ByteArrayInputStream(data), "x", 5,
                Set.of(HashAlgorithm.MD5), null, n -> {})) {
            t.transferTo(new ByteArrayOutputStream());
            assertThat(t.hashes()).containsEntry(HashAlgorithm.MD5, "5d41402abc4b2a76b9719d911017c592");
        }
    }

    @Test
    void aShortReadOfAnUnchangedSourceIsALostConnectionAndRetried() throws Exception {
        // Over FTP a cut data connection ends like a clean end of file: 3 bytes of the 5 listed.
        try (TransferStream t = new TransferStream(new ByteArrayInputStream(new byte[3]), "x", 5, Set.of(), null,
                n -> {}, () -> true)) {
            assertThatThrownBy(() -> t.transferTo(new ByteArrayOutputStream()))
                    .isInstanceOf(TransientSyncException.class).hasMessageContaining("3 of 5 bytes");
        }
        try (TransferStream t = new TransferStream(new ByteArrayInputStream(new byte[3]), "x", 5, Set.of(), null,
                n -> {}, () -> false)) {
            assertThatThrownBy(() -> t.transferTo(new ByteArrayOutputStream()))
                    .isInstanceOf(TransferStream.SourceChangedException.class);
        }
    }
}
