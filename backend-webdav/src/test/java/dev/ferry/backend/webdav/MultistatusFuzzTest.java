package dev.ferry.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzzes the PROPFIND multistatus parser with arbitrary bytes. Contract: an
 * {@link IOException} (a {@code TransientSyncException} for a listing cut short is one) or
 * responses with an href and a length that is a size, -1 (absent) or -2 (unreadable); never
 * another exception, never an entity expanded or an external entity fetched (DTDs are off, and
 * Jazzer's SSRF sanitizer would report a connection).
 */
class MultistatusFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void parse(byte @NotNull [] body) {
        try {
            Multistatus.parse(new ByteArrayInputStream(body), r -> {
                assertThat(r.length()).isGreaterThanOrEqualTo(-2);
                assertThat(r.ocSize()).isGreaterThanOrEqualTo(-2);
                assertThat(r.checksums()).doesNotContainNull();
                assertThat(r.lastModified()).isNotNull();
            });
        } catch (IOException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
