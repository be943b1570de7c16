package dev.ferry.backend.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Entry;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.ResumableWriter.PartialWrite;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import dev.ferry.api.WriteHints.Precondition;
import dev.ferry.backend.support.ConflictNames;
import dev.ferry.backend.support.TemporaryNames;
import dev.ferry.testkit.Listings;
import dev.ferry.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-path race on a real disk: a user changes the destination while a write's content is
 * still being read; and the delete race, a file edited as a two-way run deletes it. The content stream itself makes the change through a second handle once
 * half of it has been read, so the race is driven deterministically, without sleeping.
 */
class WriteRaceTest {

    private static final SyncPath X = SyncPath.of("docs/x.txt");
    private static final byte[] NEW = TestContent.bytes(7, 200_000);

    @TempDir
    Path root;

    private LocalTarget target;
    private Path file;

    @BeforeEach
    void setUp() throws IOException {
        target = new LocalTarget(root);
        file = root.resolve("docs/x.txt");
        Files.createDirectories(file.getParent());
    }

    // ------------------------------------------------------------------ through LocalTarget.write

    @Test
    void aUserEditMadeDuringTheWriteIsKept() throws IOException {
        Entry listed = existing("the version both sides had");
        InputStream content = TestContent.halfwayThen(NEW, () -> Files.writeString(file, "the user's edit, made mid-write"));

        assertThatThrownBy(() -> target.write(X, content, hints(Precondition.unchanged(listed))))
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining("'docs/x.txt'").hasMessageContaining("user's version was kept");
        assertThat(Files.readString(file)).isEqualTo("the user's edit, made mid-write");
        assertNoTemporaryFiles();
        assertThat(Listings.collect(target, "docs").names()).containsExactly("x.txt");
    }

    @Test
    void anEditThatKeepsTheSizeIsSeenByItsTime() throws IOException {
        Entry listed = existing("0123456789");
        InputStream content = TestContent.halfwayThen(NEW, () -> {
            Files.writeString(file, "abcdefghij");
            Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        });

        assertThatThrownBy(() -> target.write(X, content, hints(Precondition.unchanged(listed))))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(Files.readString(file)).isEqualTo("abcdefghij");
        assertNoTemporaryFiles();
    }

    @Test
    void anEditorStyleSaveByRenameIsKept() throws IOException {
        Entry listed = existing("old");
        InputStream content = TestContent.halfwayThen(NEW, () -> {
            Path saved = file.resolveSibling("x.txt~");
            Files.writeString(saved, "saved by an editor");
            Files.move(saved, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        });

        assertThatThrownBy(() -> target.write(X, content, hints(Precondition.unchanged(listed))))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(Files.readString(file)).isEqualTo("saved by an editor");
        assertNoTemporaryFiles();
    }

    @Test
    void aFileDeletedDuringTheWriteIsNotRecreated() throws IOException {
        Entry listed = existing("old");
        InputStream content = TestContent.halfwayThen(NEW, () -> Files.delete(file));

        assertThatThrownBy(() -> target.write(X, content, hints(Precondition.unchanged(listed))))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("gone");
        assertThat(file).doesNotExist();
        assertNoTemporaryFiles();
    }

    @Test
    void aWriteWhosePreconditionStillHoldsReplacesTheFile() throws IOException {
        Entry listed = existing("old");
        Instant time = Instant.parse("2024-05-06T07:08:09.123Z");
        Entry written = target.write(X, TestContent.halfwayThen(NEW, () -> {}), hints(Precondition.unchanged(listed)).withModTime(time));

        assertThat(Files.readAllBytes(file)).isEqualTo(NEW);
        assertThat(written.size()).isEqualTo(NEW.length);
        assertThat(written.modTime()).contains(time);
        assertNoTemporaryFiles();
    }

    @Test
    void aVersionTokenNeverMatchesALocalFile() throws IOException {
        existing("old");
        assertThatThrownBy(() -> target.write(X, new ByteArrayInputStream(NEW), hints(Precondition.version("\"etag\""))))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(Files.readString(file)).isEqualTo("old");
        assertNoTemporaryFiles();
    }

    @Test
    void mustBeAbsentNeverReplacesAFileCreatedMidWrite() throws IOException {
        InputStream content = TestContent.halfwayThen(NEW, () -> Files.writeString(file, "created by the user meanwhile"));

        assertThatThrownBy(() -> target.write(X, content, hints(Precondition.absent())))
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining("'docs/x.txt'").hasMessageContaining("user's version was kept");
        assertThat(Files.readString(file)).isEqualTo("created by the user meanwhile");
        assertNoTemporaryFiles();
    }

    @Test
    void mustBeAbsentWritesWhileThePathIsStillFree() throws IOException {
        target.write(X, TestContent.halfwayThen(NEW, () -> {}), hints(Precondition.absent()));
        assertThat(Files.readAllBytes(file)).isEqualTo(NEW);
        assertNoTemporaryFiles();
    }

    @Test
    void withoutAPreconditionTheWriteReplacesAsBefore() throws IOException {
        existing("old");
        target.write(X, TestContent.halfwayThen(NEW, () -> Files.writeString(file, "edit")), hints(Precondition.NONE));
        assertThat(Files.readAllBytes(file)).as("no precondition: the plan's version wins, as before").isEqualTo(NEW);
    }

    // ------------------------------------------------------------------ resumable writes check at complete()

    @Test
    void aResumableWriteChecksAtComplete() throws IOException {
        Entry listed = existing("old");
        PartialWrite w = target.begin(X, hints(Precondition.unchanged(listed)));
        w.append(TestContent.halfwayThen(NEW, () -> Files.writeString(file, "edited while appending")));

        assertThatThrownBy(w::complete).isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining("user's version was kept");
        assertThat(Files.readString(file)).isEqualTo("edited while appending");
        assertNoTemporaryFiles();

        Entry now = target.stat(X).orElseThrow();
        PartialWrite again = target.begin(X, hints(Precondition.unchanged(now)));
        again.append(new ByteArrayInputStream(NEW));
        again.complete();
        assertThat(Files.readAllBytes(file)).as("a write planned from the current state goes ahead").isEqualTo(NEW);
        assertNoTemporaryFiles();
    }

    // ------------------------------------------------------------------ the publishing step itself

    @Test
    void aFileAppearingAfterTheComparisonIsKeptAndSoIsTheReplacedOne() throws IOException {
        Entry listed = existing("old");
        LocalPublisher publisher = new LocalPublisher(files(), true,
                () -> run(() -> Files.writeString(file, "appeared after the comparison")));
        Path temp = temp(NEW);

        assertThatThrownBy(() -> publisher.publish(X, temp, file, Precondition.unchanged(listed), "write"))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("user's version was kept");
        assertThat(Files.readString(file)).isEqualTo("appeared after the comparison");
        List<Path> conflicts = conflictCopies();
        assertThat(conflicts).as("the version the write was to replace, kept beside it").hasSize(1);
        assertThat(Files.readString(conflicts.get(0))).isEqualTo("old");
        assertThat(conflicts.get(0).getFileName().toString()).contains("-" + LocalPublisher.CONFLICT_ID);
        assertNoTemporaryFiles();
    }

    @Test
    void aWriteThroughAnOpenHandleAfterTheComparisonIsKept() throws IOException {
        Entry listed = existing("old");
        try (FileChannel open = FileChannel.open(file, StandardOpenOption.WRITE)) {
            LocalPublisher publisher = new LocalPublisher(files(), true,
                    () -> run(() -> open.write(ByteBuffer.wrap("written through a handle".getBytes(UTF_8)), 0)));
            publisher.publish(X, temp(NEW), file, Precondition.unchanged(listed), "write");
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(NEW);
        List<Path> conflicts = conflictCopies();
        assertThat(conflicts).hasSize(1);
        assertThat(Files.readString(conflicts.get(0))).isEqualTo("written through a handle");
        assertNoTemporaryFiles();
    }

    @Test
    void withoutHardLinksTheChecksStillHold() throws IOException {
        LocalPublisher noLinks = new LocalPublisher(files(), false, () -> {});
        noLinks.publish(X, temp("first".getBytes(UTF_8)), file, Precondition.absent(), "write");
        assertThat(Files.readString(file)).isEqualTo("first");

        assertThatThrownBy(() -> noLinks.publish(X, temp(NEW), file, Precondition.absent(), "write"))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(Files.readString(file)).isEqualTo("first");

        Entry listed = files().entryAt(X, file, "stat").orElseThrow();
        Files.writeString(file, "edited");
        assertThatThrownBy(() -> noLinks.publish(X, temp(NEW), file, Precondition.unchanged(listed), "write"))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(Files.readString(file)).isEqualTo("edited");

        Entry current = files().entryAt(X, file, "stat").orElseThrow();
        noLinks.publish(X, temp(NEW), file, Precondition.unchanged(current), "write");
        assertThat(Files.readAllBytes(file)).isEqualTo(NEW);
        assertNoTemporaryFiles();
        assertThat(conflictCopies()).isEmpty();
    }

    // ------------------------------------------------------------------ conditional deletes

    @Test
    void aDeleteRemovesTheListedVersionAndLeavesNothingAside() throws IOException {
        Entry listed = existing("both sides had this; the other side deleted it");
        target.deleteIf(X, Precondition.unchanged(listed));
        assertThat(file).doesNotExist();
        assertNoTemporaryFiles();
        target.deleteIf(X, Precondition.unchanged(listed)); // a retried delete finds its work done
    }

    @Test
    void aDeleteLeavesAnEditedFileAsItIs() throws IOException {
        Entry listed = existing("0123456789");
        Files.writeString(file, "abcdefghij"); // same size, new time
        assertThatThrownBy(() -> target.deleteIf(X, Precondition.unchanged(listed)))
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining("'docs/x.txt'").hasMessageContaining("changed since it was listed");
        assertThat(Files.readString(file)).isEqualTo("abcdefghij");
        assertThat(conflictCopies()).isEmpty();
        assertNoTemporaryFiles();
    }

    @Test
    void aDeleteKeepsAWriteThroughAnOpenHandleAfterTheComparison() throws IOException {
        Entry listed = existing("old");
        try (FileChannel open = FileChannel.open(file, StandardOpenOption.WRITE)) {
            LocalPublisher publisher = new LocalPublisher(files(), true,
                    () -> run(() -> open.write(ByteBuffer.wrap("written through a handle".getBytes(UTF_8)), 0)));
            assertThatThrownBy(() -> publisher.deleteIf(X, file, Precondition.unchanged(listed)))
                    .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("written to");
        }
        assertThat(Files.readString(file)).isEqualTo("written through a handle");
        assertNoTemporaryFiles();
    }

    @Test
    void aFileSavedUnderTheNameWhileTheListedOneIsDeletedStays() throws IOException {
        // Editors save by writing a new file and renaming it over the name: that new file is not
        // the one taken aside and compared, so the delete never reaches it.
        Entry listed = existing("old");
        LocalPublisher publisher = new LocalPublisher(files(), true,
                () -> run(() -> Files.writeString(file, "saved while the old one was being deleted")));
        publisher.deleteIf(X, file, Precondition.unchanged(listed));
        assertThat(Files.readString(file)).isEqualTo("saved while the old one was being deleted");
        assertThat(conflictCopies()).isEmpty();
        assertNoTemporaryFiles();
    }

    // ------------------------------------------------------------------ helpers

    private interface IoAction {
        void run() throws IOException;
    }

    private static void run(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts {@code text} at the file, with a time in the past, and returns it as a listing shows it. */
    private Entry existing(String text) throws IOException {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        return Listings.collect(target, "docs").entries().stream().filter(e -> e.path().equals(X)).findFirst()
                .orElseThrow();
    }

    private static WriteHints hints(Precondition p) {
        return WriteHints.ofSize(NEW.length).withPrecondition(p);
    }

    private LocalFiles files() {
        return new LocalFiles(root.toAbsolutePath(), LocalTargetOptions.DEFAULTS, () -> target.capabilities().modTimePrecision());
    }

    private Path temp(byte[] data) throws IOException {
        return Files.write(file.resolveSibling(TemporaryNames.newName("x.txt")), data);
    }

    private List<Path> conflictCopies() throws IOException {
        try (Stream<Path> s = Files.list(file.getParent())) {
            return s.filter(p -> ConflictNames.pattern("x.txt").matcher(p.getFileName().toString()).matches())
                    .collect(Collectors.toList());
        }
    }

    private void assertNoTemporaryFiles() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            assertThat(s.map(p -> p.getFileName().toString())
                    .filter(n -> TemporaryNames.isTemporary(n) || TemporaryNames.isAside(n)))
                    .as("temporary and aside files left on disk").isEmpty();
        }
    }
}
