package dev.ferry.backend.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.PermanentSyncException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The small parts every backend shares: aside names, conflict names, the exact-size stream, the temp filter. */
class SharedPartsTest {

    @Test
    void asideNamesAreHiddenNeverSweptAndNameTheirFile() {
        String aside = TemporaryNames.newAsideName("report 2024.pdf");
        assertThat(TemporaryNames.isAside(aside)).isTrue();
        assertThat(TemporaryNames.isTemporary(aside)).as("never swept as an abandoned upload").isFalse();
        assertThat(TemporaryNames.asideOriginal(aside)).isEqualTo("report 2024.pdf");
        TemporaryFiles temps = new TemporaryFiles(Instant.now());
        assertThat(temps.hide(aside, Optional.of(Instant.EPOCH))).isTrue();
        assertThat(temps.stale()).isEmpty();
        assertThat(temps.asides()).containsExactly(aside);
        String longName = "é".repeat(200) + ".txt";
        assertThat(TemporaryNames.newAsideName(longName).getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(255);
    }

    @Test
    void conflictNamesNeverRepeatATakenOneAndStayRecognisable() {
        Instant t = Instant.parse("2024-04-05T06:07:08Z");
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            taken.add(ConflictNames.name("notes.txt", t, "ABCDEFG", taken::contains));
        }
        assertThat(taken).containsExactlyInAnyOrder("notes.sync-conflict-20240405-060708-ABCDEFG.txt",
                "notes.sync-conflict-20240405-060708-ABCDEFG-2.txt", "notes.sync-conflict-20240405-060708-ABCDEFG-3.txt");
        assertThat(taken).allSatisfy(n -> assertThat(ConflictNames.pattern("notes.txt").matcher(n).matches()).isTrue());
        String later = ConflictNames.name("notes.txt", t.plusSeconds(1), "ABCDEFG", x -> false);
        assertThat(Stream.concat(Stream.of(later), taken.stream()).sorted(ConflictNames.oldestFirst("notes.txt")))
                .as("by time, then by counter").containsExactly("notes.sync-conflict-20240405-060708-ABCDEFG.txt",
                        "notes.sync-conflict-20240405-060708-ABCDEFG-2.txt",
                        "notes.sync-conflict-20240405-060708-ABCDEFG-3.txt", later);
        String huge = "x".repeat(250) + ".txt";
        String n = ConflictNames.name(huge, t, "ABCDEFG", x -> false);
        assertThat(n.length()).isLessThanOrEqualTo(255);
        assertThat(ConflictNames.pattern(huge.substring(0, n.indexOf(".sync-conflict")) + ".txt").matcher(n).matches())
                .as("the stamp survives shortening").isTrue();
    }

    @Test
    void theExactSizeStreamRefusesLongerAndShorterContentOnEitherPath() throws IOException {
        byte[] five = {1, 2, 3, 4, 5};
        ExactSizeInputStream ok = new ExactSizeInputStream(new ByteArrayInputStream(five), 5, "write x");
        assertThat(ok.transferTo(new ByteArrayOutputStream())).isEqualTo(5);
        ok.checkComplete();
        for (long announced : new long[] {4, 6}) {
            ExactSizeInputStream bad = new ExactSizeInputStream(new ByteArrayInputStream(five), announced, "write x");
            assertThatThrownBy(() -> bad.transferTo(new ByteArrayOutputStream()))
                    .isInstanceOf(PermanentSyncException.class).hasMessageContaining("write x");
            assertThat(bad.sizeMismatch()).isTrue();
            ExactSizeInputStream viaRead = new ExactSizeInputStream(new ByteArrayInputStream(five), announced, "write x");
            assertThatThrownBy(() -> viaRead.readAllBytes()).isInstanceOf(PermanentSyncException.class);
            assertThat(viaRead.causedBy(viaRead.failure())).isTrue();
        }
    }
}
