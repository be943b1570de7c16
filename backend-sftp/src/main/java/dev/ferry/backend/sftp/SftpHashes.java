package dev.ferry.backend.sftp;

import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import dev.ferry.backend.support.Probed;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hashes computed by the server: SFTP has no hash request OpenSSH answers, so, as rclone does,
 * {@code md5sum}, {@code sha1sum} or {@code sha256sum} run over an SSH exec channel where the
 * login has a shell with them (probed once: an sftp-only account, a ForceCommand or a Windows
 * server gives none, and the capabilities then claim no hash). The path is passed single-quoted.
 */
final class SftpHashes {

    private static final Logger LOG = LoggerFactory.getLogger(SftpHashes.class);
    private static final Map<HashAlgorithm, String> COMMANDS = new EnumMap<>(Map.of(
            HashAlgorithm.MD5, "md5sum", HashAlgorithm.SHA1, "sha1sum", HashAlgorithm.SHA256, "sha256sum"));
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    private final Remote remote;
    private final Probed<Set<HashAlgorithm>> offered;

    SftpHashes(Remote remote, boolean enabled) {
        this.remote = remote;
        this.offered = new Probed<>(() -> enabled ? probe() : Probed.Outcome.measured(EnumSet.noneOf(HashAlgorithm.class)));
    }

    Set<HashAlgorithm> offered() {
        return offered.get();
    }

    private Probed.Outcome<Set<HashAlgorithm>> probe() {
        // One exec for all three: each costs the server a fork and a shell.
        Set<HashAlgorithm> found = EnumSet.noneOf(HashAlgorithm.class);
        StringBuilder command = new StringBuilder();
        for (String c : COMMANDS.values()) {
            command.append(command.length() == 0 ? "" : "; ").append(c).append(" /dev/null");
        }
        try {
            String out = remote.sessions.session().executeRemoteCommand(command + "; true", Duration.ofSeconds(30));
            for (String line : out.split("\n")) {
                for (HashAlgorithm a : COMMANDS.keySet()) {
                    if (parse(line, a).isPresent()) {
                        found.add(a);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("no hash commands on {}: {}", remote.options.description(), e.toString());
        }
        return Probed.Outcome.measured(found);
    }

    Optional<String> hash(SyncPath path, HashAlgorithm algorithm) throws IOException {
        if (!offered().contains(algorithm)) {
            return Optional.empty();
        }
        String command = COMMANDS.get(algorithm) + " -- " + quote(remote.abs(path));
        String action = "hash " + remote.where(path);
        try {
            return parse(remote.sessions.session().executeRemoteCommand(command, remote.options.timeout()), algorithm);
        } catch (IOException e) {
            if (Remote.lstat(remote.sessions.sftp(), remote.abs(path)).isEmpty()) {
                throw new NotFoundException("cannot " + action + ": no such file", e);
            }
            throw SftpErrors.io(e, action);
        }
    }

    /** The hash at the start of a {@code *sum} line; a leading backslash marks an escaped name. */
    private static Optional<String> parse(String out, HashAlgorithm algorithm) {
        String line = out.strip();
        if (line.startsWith("\\")) {
            line = line.substring(1);
        }
        int space = line.indexOf(' ');
        String hex = space < 0 ? line : line.substring(0, space);
        if (hex.length() != algorithm.hexLength() || !HEX.matcher(hex).matches()) {
            return Optional.empty();
        }
        return Optional.of(hex);
    }

    /** Single-quoted for a POSIX shell: every character literal, a quote as '\''. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
