package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Fuzzes the files a crash or a damaged disk can leave for the next run to read: the state file,
 * its journal and the transfer journal. Contract: the loader either refuses with an
 * {@link IOException} naming the file, or loads something that saves and loads back to the same
 * records; never another exception.
 */
class StoredStateFuzzTest {

    private static final byte[] STATE_MAGIC = "FERRYST1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JOURNAL_MAGIC = "FERRYJ01".getBytes(StandardCharsets.US_ASCII);

    /** The state file after its magic (the corpus also holds whole files with other magics). */
    @FuzzTest(maxDuration = "5s")
    void stateFile(byte @NotNull [] body) throws IOException {
        inTemp(dir -> {
            Path file = dir.resolve("state");
            Files.write(file, concat(STATE_MAGIC, body));
            loadAndRoundTrip(file);
        });
    }

    /** A journal after an empty state file, as a killed run leaves it. */
    @FuzzTest(maxDuration = "5s")
    void stateJournal(byte @NotNull [] body) throws IOException {
        inTemp(dir -> {
            Path file = dir.resolve("state");
            Files.write(file, concat(STATE_MAGIC, new byte[] {0}));
            Files.write(dir.resolve("state.journal"), concat(JOURNAL_MAGIC, body));
            loadAndRoundTrip(file);
        });
    }

    @FuzzTest(maxDuration = "5s")
    void transferJournal(byte @NotNull [] body) throws IOException {
        inTemp(dir -> {
            Path file = dir.resolve("transfers");
            Files.write(file, body);
            TransferJournal j = TransferJournal.open(file);
            j.token("any");
            j.begun("k\t\n", "t");
            j.close();
            assertThat(TransferJournal.open(file).token("k\t\n")).hasValue("t");
        });
    }

    private static void loadAndRoundTrip(Path file) throws IOException {
        StateStore store;
        try {
            store = StateStore.load(file);
        } catch (IOException e) {
            assertThat(e.getMessage()).contains(file.getFileName().toString());
            return;
        }
        store.save();
        assertThat(StateStore.load(file).records()).isEqualTo(store.records());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private interface InDir {
        void run(Path dir) throws IOException;
    }

    private static void inTemp(InDir body) throws IOException {
        Path dir = Files.createTempDirectory("ferry-fuzz");
        try {
            body.run(dir);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
