package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.HashAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class TestContentTest {

    @Test
    void sameSeedSameBytesWhateverTheReadPattern() throws IOException {
        byte[] whole = TestContent.bytes(7, 100_001);
        ByteArrayOutputStream odd = new ByteArrayOutputStream();
        try (InputStream in = TestContent.stream(7, 100_001)) {
            byte[] buf = new byte[13];
            int n;
            while ((n = in.read(buf, 1, 11)) >= 0) {
                odd.write(buf, 1, n);
                int single = in.read();
                if (single < 0) {
                    break;
                }
                odd.write(single);
            }
        }
        assertThat(odd.toByteArray()).isEqualTo(whole);
        assertThat(TestContent.bytes(8, 1000)).isNotEqualTo(TestContent.bytes(7, 1000));
    }

    @Test
    void streamHasExactLengthAndHashesMatch() throws IOException {
        try (InputStream in = TestContent.stream(1, 1_000_003)) {
            assertThat(TestContent.sha256(in)).isEqualTo(TestContent.hash(HashAlgorithm.SHA256, TestContent.bytes(1, 1_000_003)));
        }
        try (InputStream in = TestContent.stream(1, 0)) {
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(TestContent.hash(HashAlgorithm.CRC32, new byte[0])).isEqualTo("00000000");
    }

    @Test
    void failingStreamDeliversExactlyThenFails() throws IOException {
        InputStream in = TestContent.failingAfter(TestContent.stream(3, 1000), 600);
        byte[] got = new byte[600];
        int off = 0;
        while (off < 600) {
            off += in.read(got, off, 1000);
        }
        assertThat(got).isEqualTo(TestContent.bytes(3, 600));
        assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("600");
    }
}
