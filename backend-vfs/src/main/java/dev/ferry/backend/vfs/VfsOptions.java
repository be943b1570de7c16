package dev.ferry.backend.vfs;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import dev.ferry.backend.support.SpecOptions;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.commons.vfs2.FileSystemException;
import org.apache.commons.vfs2.FileSystemOptions;
import org.apache.commons.vfs2.auth.StaticUserAuthenticator;
import org.apache.commons.vfs2.impl.DefaultFileSystemConfigBuilder;

/**
 * The options of a {@code vfs:} location, turned into Commons VFS's {@link FileSystemOptions}:
 * a login kept out of the URL (so it never shows in a description or a VFS message), and for
 * {@code vfs:sftp://} the key file and the {@code known_hosts} a host key is checked against,
 * strictly, as Ferry's own {@code sftp://} does.
 */
final class VfsOptions {

    static final String USER = "user";
    static final String PASSWORD = "password";
    static final String KEY_FILE = "keyFile";
    static final String PASSPHRASE = "passphrase";
    static final String KNOWN_HOSTS = "knownHosts";
    static final String TIMEOUT = "timeout";

    static final List<TargetOption> ALL = List.of(
            TargetOption.of(USER, "login name, where the provider logs in (or user@ in the URL)"),
            TargetOption.secret(PASSWORD, "login password (never put it in the URL: VFS repeats URLs in its messages)"),
            TargetOption.of(KEY_FILE, "vfs:sftp: private key file"),
            TargetOption.secret(PASSPHRASE, "vfs:sftp: passphrase of the key file"),
            TargetOption.of(KNOWN_HOSTS, "vfs:sftp: known_hosts file host keys are checked against, strictly "
                    + "(default ~/.ssh/known_hosts)"),
            TargetOption.of(TIMEOUT, "time allowed for connecting and for one reply, where the provider takes one (default 60s)"));

    private VfsOptions() {}

    /** The VFS options for {@code spec}, whose inner VFS scheme is {@code scheme}. */
    static FileSystemOptions of(TargetSpec spec, String scheme) throws InvalidTargetException {
        SpecOptions.requireKnown(spec, ALL);
        FileSystemOptions opts = new FileSystemOptions();
        Optional<String> user = spec.option(USER);
        Optional<String> password = spec.option(PASSWORD);
        if (user.isPresent() || password.isPresent()) {
            DefaultFileSystemConfigBuilder.getInstance().setUserAuthenticator(opts,
                    new StaticUserAuthenticator(null, user.orElse(null), password.orElse(null)));
        }
        Duration timeout = SpecOptions.duration(spec, TIMEOUT, Duration.ofSeconds(60));
        if (scheme.equals("sftp")) {
            Sftp.configure(opts, spec, timeout);
        } else if (spec.option(KEY_FILE).isPresent() || spec.option(KNOWN_HOSTS).isPresent()) {
            throw new InvalidTargetException("keyFile and knownHosts are options of vfs:sftp:, not of vfs:" + scheme + ":");
        }
        return opts;
    }

    /** Kept apart so the SFTP builder (which links JSch) loads only for {@code vfs:sftp:}. */
    private static final class Sftp {
        static void configure(FileSystemOptions opts, TargetSpec spec, Duration timeout) throws InvalidTargetException {
            var b = org.apache.commons.vfs2.provider.sftp.SftpFileSystemConfigBuilder.getInstance();
            Path knownHosts = spec.option(KNOWN_HOSTS).map(Path::of)
                    .orElse(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
            try {
                // An unknown or changed host key is refused, never accepted on first sight.
                b.setStrictHostKeyChecking(opts, "yes");
                if (Files.isReadable(knownHosts)) {
                    b.setKnownHosts(opts, knownHosts.toFile());
                }
                b.setUserDirIsRoot(opts, false);
                b.setSessionTimeout(opts, timeout);
                b.setConnectTimeout(opts, timeout);
                Optional<String> key = spec.option(KEY_FILE);
                if (key.isPresent()) {
                    File file = Path.of(key.get()).toFile();
                    if (!file.canRead()) {
                        throw new InvalidTargetException("cannot read the key file " + file);
                    }
                    byte[] phrase = spec.option(PASSPHRASE).map(p -> p.getBytes(StandardCharsets.UTF_8)).orElse(null);
                    b.setIdentityProvider(opts, new org.apache.commons.vfs2.provider.sftp.IdentityInfo(file, phrase));
                }
            } catch (FileSystemException e) {
                throw new InvalidTargetException("bad vfs:sftp: options: " + e.getCode());
            }
        }
    }
}
