package dev.ferry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EntryTest {

    @Test
    void keepsNanosecondTimesAndNormalizesHashes() {
        Instant t = Instant.parse("2024-01-02T03:04:05.123456789Z");
        Entry e = Entry.file(SyncPath.of("a/b"), 10).modTime(t).modTimePrecision(Duration.ofSeconds(1))
                .hash(HashAlgorithm.MD5, "D41D8CD98F00B204E9800998ECF8427E").version("etag1").build();
        assertThat(e.modTime()).hasValue(t);
        assertThat(e.hash(HashAlgorithm.MD5)).hasValue("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(e.version()).hasValue("etag1");
        assertThat(e.toBuilder().build()).isEqualTo(e);
        assertThat(e.withPath(SyncPath.of("c")).path()).isEqualTo(SyncPath.of("c"));
        assertThat(Entry.file(SyncPath.of("x"), 0).build().modTime()).isEmpty();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> Entry.file(SyncPath.of("x"), -1).build()).hasMessageContaining("size");
        assertThatThrownBy(() -> Entry.file(SyncPath.of("x"), 1).hash(HashAlgorithm.MD5, "xyz"))
                .hasMessageContaining("not a MD5");
    }

    @Test
    void crc32IsAvailableAsADigest() {
        var d = HashAlgorithm.CRC32.newDigest();
        d.update("123456789".getBytes());
        assertThat(HashAlgorithm.hex(d.digest())).isEqualTo("cbf43926");
        assertThat(HashAlgorithm.byName("sha-256")).hasValue(HashAlgorithm.SHA256);
    }
}
