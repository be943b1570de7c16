package dev.ferry.backend.ftp;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import java.io.IOException;
import java.util.List;

/**
 * The {@code ftp} scheme: {@code ftp://user@host[:port]/path}, password in the {@code password}
 * option. See {@link FtpsTargetProvider} for {@code ftps}.
 */
public final class FtpTargetProvider implements SyncTargetProvider {

    /** For {@link java.util.ServiceLoader}. */
    public FtpTargetProvider() {}

    @Override
    public String scheme() {
        return "ftp";
    }

    @Override
    public String description() {
        return "FTP server (plain): atomic uploads, MLSD or LIST, MFMT/MDTM mtimes, server hashes where offered";
    }

    @Override
    public List<TargetOption> options() {
        return FtpOptions.COMMON;
    }

    @Override
    public SyncTarget open(TargetSpec spec) throws IOException {
        if (!scheme().equals(spec.scheme())) {
            throw new InvalidTargetException("not an ftp: location: " + spec.location());
        }
        return FtpTarget.open(FtpOptions.parse(spec, false));
    }
}
