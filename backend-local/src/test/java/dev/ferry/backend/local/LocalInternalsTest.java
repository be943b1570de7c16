package dev.ferry.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.InsufficientStorageException;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.PermissionDeniedException;
import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * The package-private helpers, for faults a real disk cannot be made to produce in a test (a full
 * disk) and for the arithmetic of the probe.
 */
class LocalInternalsTest {

    private static final Path ROOT = Path.of("/srv/data");
    private static final SyncPath P = SyncPath.of("photos/img 1.jpg");

    @Test
    void fullDiskAndQuotaAreInsufficientStorage() {
        for (String reason : new String[] {"No space left on device", "Disk quota exceeded"}) {
            IOException mapped = Errors.map(new FileSystemException("/srv/data/photos/x", null, reason), "write", P, ROOT);
            assertThat(mapped).isInstanceOf(InsufficientStorageException.class)
                    .hasMessageContaining("'photos/img 1.jpg'").hasMessageContaining("/srv/data");
        }
        assertThat(Errors.map(new IOException("No space left on device"), "write", P, ROOT))
                .as("the JDK's plain IOException from write(2)").isInstanceOf(InsufficientStorageException.class);
    }

    @Test
    void otherNioExceptionsMapToTheFamily() {
        assertThat(Errors.map(new NoSuchFileException("x"), "read", P, ROOT)).isInstanceOf(NotFoundException.class);
        assertThat(Errors.map(new AccessDeniedException("x"), "read", P, ROOT)).isInstanceOf(PermissionDeniedException.class);
        assertThat(Errors.map(new FileSystemException("x", null, "Read-only file system"), "write", P, ROOT))
                .isInstanceOf(PermissionDeniedException.class);
        assertThat(Errors.map(new DirectoryNotEmptyException("x"), "delete", P, ROOT))
                .isExactlyInstanceOf(PermanentSyncException.class).hasMessageContaining("not empty");
        assertThat(Errors.map(new FileSystemException("x", null, "Not a directory"), "stat", P, ROOT))
                .isInstanceOf(NotFoundException.class);
        assertThat(Errors.map(new FileSystemException("x", null, "File name too long"), "write", P, ROOT))
                .isExactlyInstanceOf(PermanentSyncException.class);
        IOException eio = new IOException("Input/output error");
        assertThat(Errors.map(eio, "read", P, ROOT)).as("left to the engine to classify").isSameAs(eio);
        assertThat(Errors.where(SyncPath.ROOT, ROOT)).isEqualTo("the root /srv/data");
    }

    @Test
    void precisionIsTheCoarsestStepExplainingTheReadBack() {
        Instant set = FsProbe.PROBE_TIME; // ...01.123456789
        assertThat(FsProbe.precisionOf(set, set)).contains(Duration.ofNanos(1));
        assertThat(FsProbe.precisionOf(set, set.minusNanos(89))).as("NTFS").contains(Duration.ofNanos(100));
        assertThat(FsProbe.precisionOf(set, set.truncatedTo(ChronoUnit.MICROS))).contains(Duration.ofNanos(1_000));
        assertThat(FsProbe.precisionOf(set, set.truncatedTo(ChronoUnit.MILLIS))).contains(Duration.ofMillis(1));
        assertThat(FsProbe.precisionOf(set, set.truncatedTo(ChronoUnit.MILLIS).plusMillis(1))).as("rounded up")
                .contains(Duration.ofMillis(1));
        assertThat(FsProbe.precisionOf(set, Instant.ofEpochSecond(set.getEpochSecond(), 120_000_000))).contains(Duration.ofMillis(10));
        assertThat(FsProbe.precisionOf(set, set.truncatedTo(ChronoUnit.SECONDS))).contains(Duration.ofSeconds(1));
        assertThat(FsProbe.precisionOf(set, set.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1))).as("FAT, even seconds")
                .contains(Duration.ofSeconds(2));
        assertThat(FsProbe.precisionOf(set, Instant.now())).as("time not kept at all").isEmpty();
    }

    @Test
    void fileSystemTypeGuesses() {
        assertThat(FsProbe.guessFor("vfat", "Linux")).isEqualTo(new FsProbe.Traits(true, Duration.ofSeconds(2), false));
        assertThat(FsProbe.guessFor("exfat", "Linux").caseSensitive()).isFalse();
        assertThat(FsProbe.guessFor("ntfs", "Linux")).isEqualTo(new FsProbe.Traits(true, Duration.ofNanos(100), true));
        assertThat(FsProbe.guessFor("ntfs", "Windows 11").caseSensitive()).isFalse();
        assertThat(FsProbe.guessFor("ext4", "Linux")).isEqualTo(new FsProbe.Traits(true, Duration.ofNanos(1), true));
        assertThat(FsProbe.guessFor("apfs", "Mac OS X").caseSensitive()).isFalse();
    }
}
