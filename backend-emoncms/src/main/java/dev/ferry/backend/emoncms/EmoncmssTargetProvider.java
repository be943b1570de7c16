package dev.ferry.backend.emoncms;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import java.io.IOException;
import java.util.List;

/**
 * The {@code emoncmss} scheme: {@code emoncmss://HOST[:PORT]/PATH} over https, the certificate
 * checked against the JDK trust store; options as {@link EmoncmsTargetProvider}.
 */
public final class EmoncmssTargetProvider implements SyncTargetProvider {

    /** For {@link java.util.ServiceLoader}. */
    public EmoncmssTargetProvider() {}

    @Override
    public String scheme() {
        return "emoncmss";
    }

    @Override
    public String description() {
        return "Emoncms feeds (https, certificate checked): TAG/NAME entries, append-only uploads through feed/sync, downloads through feed/export";
    }

    @Override
    public List<TargetOption> options() {
        return EmoncmsOptions.OPTIONS;
    }

    @Override
    public SyncTarget open(TargetSpec spec) throws IOException {
        if (!scheme().equals(spec.scheme())) {
            throw new InvalidTargetException("not an emoncmss: location: " + spec.location());
        }
        return EmoncmsTarget.open(EmoncmsOptions.parse(spec, true));
    }
}
