package dev.ferry.backend.crypt;

import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import dev.ferry.api.TargetWrapper;
import java.io.IOException;
import java.util.List;

/**
 * The {@code crypt} scheme: {@code crypt:LOCATION} encrypts content and names, in rclone's crypt
 * format, on their way to LOCATION (a path, a URI or a named remote) and decrypts them on their
 * way back. Options: {@code password} (required), {@code password2},
 * {@code filename_encryption}, {@code directory_name_encryption}, {@code filename_encoding},
 * {@code suffix}; see {@link CryptOptions}.
 */
public final class CryptWrapper implements TargetWrapper {

    /** For {@link java.util.ServiceLoader}. */
    public CryptWrapper() {}

    @Override
    public String scheme() {
        return "crypt";
    }

    @Override
    public String description() {
        return "Encrypts content and names on their way to any location, in rclone's crypt format";
    }

    @Override
    public List<TargetOption> options() {
        return CryptOptions.ALL;
    }

    @Override
    public SyncTarget wrap(SyncTarget inner, TargetSpec spec) throws IOException {
        CryptOptions options = CryptOptions.parse(spec);
        return CryptTarget.wrap(inner, options, TargetWrapper.subPath(spec));
    }
}
