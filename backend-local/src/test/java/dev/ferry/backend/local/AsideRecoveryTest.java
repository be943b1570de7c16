package dev.ferry.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.SyncPath;
import dev.ferry.backend.support.TemporaryNames;
import dev.ferry.testkit.Listings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A conditional write takes the user's file aside while it checks it; a process killed at that
 * moment leaves the file under a hidden aside name. A later listing puts it back (it is never
 * swept like an abandoned upload): at its name if free, else as a conflict copy.
 */
class AsideRecoveryTest {

    @TempDir
    Path root;

    LocalTarget target() {
        return new LocalTarget(root, LocalTargetOptions.DEFAULTS.withTempMaxAge(Duration.ofMillis(200)));
    }

    @Test
    void aFileLeftAsideIsPutBackAtItsName() throws Exception {
        Files.createDirectories(root.resolve("d"));
        Path aside = root.resolve("d").resolve(TemporaryNames.newAsideName("x.txt"));
        Files.writeString(aside, "the user's data");
        Thread.sleep(400); // older than the settling time (tempMaxAge here)
        try (LocalTarget t = target()) {
            assertThat(Listings.collect(t, SyncPath.of("d")).names()).containsExactly("x.txt");
        }
        assertThat(root.resolve("d/x.txt")).hasContent("the user's data");
        assertThat(names(root.resolve("d"))).containsExactly("x.txt");
    }

    @Test
    void whereItsNameIsTakenItBecomesAConflictCopy() throws Exception {
        Files.writeString(root.resolve("x.txt"), "newer");
        Files.writeString(root.resolve(TemporaryNames.newAsideName("x.txt")), "older, the user's");
        Thread.sleep(400);
        try (LocalTarget t = target()) {
            Listings.collect(t, SyncPath.ROOT);
        }
        assertThat(root.resolve("x.txt")).hasContent("newer");
        assertThat(names(root)).hasSize(2).anySatisfy(n -> {
            assertThat(n).startsWith("x.sync-conflict-").endsWith(".txt");
            assertThat(root.resolve(n)).hasContent("older, the user's");
        });
    }

    @Test
    void anAsideFileIsNeverSweptAsATemporaryOne() throws Exception {
        Path aside = root.resolve(TemporaryNames.newAsideName("y.txt"));
        Files.writeString(aside, "keep me");
        try (LocalTarget t = target()) {
            Listings.collect(t, SyncPath.ROOT); // not settled yet: left alone, hidden
        }
        assertThat(aside).hasContent("keep me");
        assertThat(TemporaryNames.isTemporary(aside.getFileName().toString())).isFalse();
    }

    private static java.util.List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
