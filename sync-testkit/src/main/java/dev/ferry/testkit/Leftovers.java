package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a finished run must not leave on a disk: Ferry's temporary files, every name starting
 * {@code .ferry-} (backend-support's {@code TemporaryNames}: {@code .partial} uploads and
 * {@code .aside} copies). The fault scenarios and crash matrices look at the server's or the
 * folder's own disk with it, below the backend, where a hidden leftover would still be seen.
 */
public final class Leftovers {

    private static final String PREFIX = ".ferry-";

    private Leftovers() {}

    /** Every file or directory under {@code root} whose name starts {@code .ferry-}, relative to {@code root}. */
    public static List<Path> temporaryFiles(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> p.getFileName() != null && p.getFileName().toString().startsWith(PREFIX))
                    .map(root::relativize).toList();
        }
    }

    /** Asserts that no temporary file is left under {@code root}; {@code where} names it in the failure. */
    public static void assertNoTemporaryFiles(Path root, String where) throws IOException {
        assertThat(temporaryFiles(root)).as("temporary files left " + where).isEmpty();
    }
}
