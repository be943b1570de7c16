package dev.ferry.backend.local;

import dev.ferry.backend.support.TemporaryNames;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds out what a directory's file system keeps: how finely it stores modification times and
 * whether names are case-sensitive. Measured where possible, because the file system type alone
 * does not tell (NTFS through ntfs-3g is case-sensitive, a JDK may set times only to the
 * microsecond, a FUSE mount may ignore them).
 */
final class FsProbe {

    /** What was found. */
    record Traits(boolean keepsModTime, Duration precision, boolean caseSensitive) {}

    /** Odd seconds (FAT keeps even ones) and nanoseconds no coarser clock keeps. */
    static final Instant PROBE_TIME = Instant.ofEpochSecond(1_600_000_001L, 123_456_789L);

    private static final List<Duration> STEPS = List.of(
            Duration.ofNanos(1), Duration.ofNanos(100), Duration.ofNanos(1_000), Duration.ofMillis(1),
            Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofSeconds(2));

    private FsProbe() {}

    /**
     * Measures by creating, timestamping and deleting a probe file (temp-named, so a crash leaves
     * nothing visible); empty if {@code dir} is missing or not writable.
     */
    static Optional<Traits> probe(Path dir) {
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            return Optional.empty();
        }
        String name = TemporaryNames.newName("probe");
        Path file = dir.resolve(name);
        try {
            Files.createFile(file);
            try {
                Files.setLastModifiedTime(file, FileTime.from(PROBE_TIME));
                Instant back = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant();
                Optional<Duration> precision = precisionOf(PROBE_TIME, back);
                Path upper = dir.resolve(name.toUpperCase(Locale.ROOT));
                boolean sameFile = Files.exists(upper, LinkOption.NOFOLLOW_LINKS) && Files.isSameFile(file, upper);
                return Optional.of(new Traits(precision.isPresent(), precision.orElse(Duration.ofSeconds(1)), !sameFile));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The coarsest step that explains reading {@code got} back after setting {@code set}; empty
     * when the difference is larger than any file system's rounding, i.e. times are not kept.
     */
    static Optional<Duration> precisionOf(Instant set, Instant got) {
        Duration diff = Duration.between(set, got).abs();
        for (Duration step : STEPS) {
            if (diff.compareTo(step) < 0) {
                return Optional.of(step);
            }
        }
        return Optional.empty();
    }

    /** A guess from the file system type of {@code dir} or its nearest existing ancestor. */
    static Traits guess(Path dir) {
        String type = "";
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p != null) {
            try {
                FileStore store = Files.getFileStore(p);
                type = store.type().toLowerCase(Locale.ROOT);
            } catch (IOException | RuntimeException e) {
                // unknown type: fall through to the platform default
            }
        }
        return guessFor(type, System.getProperty("os.name", ""));
    }

    static Traits guessFor(String fsType, String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        // Windows and macOS volumes are case-insensitive unless set up otherwise.
        boolean platformSensitive = !(os.startsWith("windows") || os.startsWith("mac"));
        switch (fsType) {
            case "vfat":
            case "msdos":
            case "fat":
            case "fat32":
                return new Traits(true, Duration.ofSeconds(2), false);
            case "exfat":
                return new Traits(true, Duration.ofMillis(10), false);
            case "ntfs":
            case "ntfs3":
                return new Traits(true, Duration.ofNanos(100), platformSensitive);
            default:
                return new Traits(true, Duration.ofNanos(1), platformSensitive);
        }
    }
}
