package dev.ferry.backend.ftp;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ftps} scheme: explicit TLS (AUTH TLS, PBSZ 0, PROT P) by default, implicit TLS with
 * {@code implicitTls=true}. Certificates are verified against the JDK's trust store unless a
 * {@code pinnedCertificate} fingerprint is given or {@code trustAll=true} is set explicitly.
 */
public final class FtpsTargetProvider implements SyncTargetProvider {

    private static final List<TargetOption> OPTIONS;

    static {
        List<TargetOption> all = new ArrayList<>(FtpOptions.COMMON);
        all.addAll(FtpOptions.TLS_ONLY);
        OPTIONS = List.copyOf(all);
    }

    /** For {@link java.util.ServiceLoader}. */
    public FtpsTargetProvider() {}

    @Override
    public String scheme() {
        return "ftps";
    }

    @Override
    public String description() {
        return "FTP over TLS (explicit AUTH TLS, or implicit): the ftp backend with a private control and data channel";
    }

    @Override
    public List<TargetOption> options() {
        return OPTIONS;
    }

    @Override
    public SyncTarget open(TargetSpec spec) throws IOException {
        if (!scheme().equals(spec.scheme())) {
            throw new InvalidTargetException("not an ftps: location: " + spec.location());
        }
        return FtpTarget.open(FtpOptions.parse(spec, true));
    }
}
