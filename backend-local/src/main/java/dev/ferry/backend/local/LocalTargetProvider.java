package dev.ferry.backend.local;

import dev.ferry.backend.support.SpecOptions;
import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code file} scheme: {@code file:///srv/data} or {@code file:/srv/data} (plain paths are
 * turned into such URIs by the engine's location parser). Options:
 * {@value #FOLLOW_SYMLINKS}, {@value #FSYNC}, {@value #TEMP_MAX_AGE}; unknown option names are
 * refused, so a misspelt {@code fsync} does not silently go without.
 */
public final class LocalTargetProvider implements SyncTargetProvider {

    /** Option: follow symbolic links that stay inside the root (true/false, default false). */
    public static final String FOLLOW_SYMLINKS = "followSymlinks";
    /** Option: force every write to the device before it returns (true/false, default false). */
    public static final String FSYNC = "fsync";
    /** Option: age after which leftover temporary files are deleted ({@code PT1H}, {@code 1h}, {@code 90s}). */
    public static final String TEMP_MAX_AGE = "tempMaxAge";

    private static final List<TargetOption> OPTIONS = List.of(
            TargetOption.of(FOLLOW_SYMLINKS, "follow symbolic links whose target stays inside the root (default false)"),
            TargetOption.of(FSYNC, "force each written file and its directory to the device (default false)"),
            TargetOption.of(TEMP_MAX_AGE, "age after which leftover temporary files are deleted, e.g. 30m or 2h (default 1h)"));

    /** For {@link java.util.ServiceLoader}. */
    public LocalTargetProvider() {}

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public String description() {
        return "Local file system: atomic writes, mtimes kept, MD5/SHA-1/SHA-256/CRC32 on request";
    }

    @Override
    public List<TargetOption> options() {
        return OPTIONS;
    }

    @Override
    public SyncTarget open(TargetSpec spec) throws InvalidTargetException {
        if (!scheme().equals(spec.scheme())) {
            throw new InvalidTargetException("not a file: location: " + spec.location());
        }
        Path root = toPath(spec.location());
        LocalTargetOptions options = parseOptions(spec);
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new InvalidTargetException("not a directory: " + root);
        }
        return new LocalTarget(root, options);
    }

    /** The local path of a {@code file:} URI; only the local host. */
    static Path toPath(URI uri) throws InvalidTargetException {
        if (uri.isOpaque() || uri.getPath() == null || uri.getPath().isEmpty()) {
            throw new InvalidTargetException("a file: location needs an absolute path, like file:///srv/data: " + uri);
        }
        String host = uri.getRawAuthority();
        if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
            throw new InvalidTargetException("file: locations on another host are not supported: " + uri);
        }
        try {
            // Rebuilt without the authority, which Path.of(URI) refuses even when it is "localhost".
            URI local = new URI("file", null, uri.getPath(), null);
            return Path.of(local).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
            throw new InvalidTargetException("not a valid local path: " + uri + " (" + e.getMessage() + ")", e);
        }
    }

    /** The options of a spec; unknown names are refused. */
    static LocalTargetOptions parseOptions(TargetSpec spec) throws InvalidTargetException {
        SpecOptions.requireKnown(spec, OPTIONS);
        LocalTargetOptions d = LocalTargetOptions.DEFAULTS;
        return d.withFollowSymlinks(SpecOptions.flag(spec, FOLLOW_SYMLINKS, d.followSymlinks()))
                .withFsync(SpecOptions.flag(spec, FSYNC, d.fsync()))
                .withTempMaxAge(SpecOptions.duration(spec, TEMP_MAX_AGE, d.tempMaxAge()));
    }
}
