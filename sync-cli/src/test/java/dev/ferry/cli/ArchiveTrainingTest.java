package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The class-data archive is only as good as its training: every sync must get as far as its
 * backend's client (a connection refused), not stop at the command line.
 */
class ArchiveTrainingTest {

    @Test
    void everyBackendGetsAsFarAsConnecting() throws IOException {
        List<Integer> codes = ArchiveTraining.train();
        assertThat(codes).hasSize(1 + ArchiveTraining.UNREACHABLE.size());
        assertThat(codes.get(0)).as("the local training sync").isEqualTo(ExitCode.OK.code());
        assertThat(codes.subList(1, codes.size())).as("each unreachable server: could not open, not bad usage")
                .containsOnly(ExitCode.FATAL.code());
    }

    @Test
    void itLeavesNothingBehind() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = count(tmp);
        ArchiveTraining.train();
        assertThat(count(tmp)).isEqualTo(before);
    }

    private static long count(Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("ferry-training")).count();
        }
    }
}
