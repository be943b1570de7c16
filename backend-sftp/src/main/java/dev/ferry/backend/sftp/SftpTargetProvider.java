package dev.ferry.backend.sftp;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import java.io.IOException;
import java.util.List;

/**
 * The {@code sftp} scheme: {@code sftp://user@host[:port]/absolute/path}, or
 * {@code sftp://user@host/~/path} relative to the login directory. Logs in with a password
 * ({@code password}), a key file ({@code keyFile}, {@code passphrase}) or the SSH agent; host
 * keys are checked against {@code known_hosts}.
 */
public final class SftpTargetProvider implements SyncTargetProvider {

    /** For {@link java.util.ServiceLoader}. */
    public SftpTargetProvider() {}

    @Override
    public String scheme() {
        return "sftp";
    }

    @Override
    public String description() {
        return "SFTP server (SSH): atomic uploads (posix-rename), mtimes to the second, resumable, known_hosts checked";
    }

    @Override
    public List<TargetOption> options() {
        return SftpOptions.ALL;
    }

    @Override
    public SyncTarget open(TargetSpec spec) throws IOException {
        if (!scheme().equals(spec.scheme())) {
            throw new InvalidTargetException("not an sftp: location: " + spec.location());
        }
        return SftpTarget.open(SftpOptions.parse(spec));
    }
}
