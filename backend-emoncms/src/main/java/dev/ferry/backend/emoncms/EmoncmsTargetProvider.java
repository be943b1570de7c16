package dev.ferry.backend.emoncms;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import java.io.IOException;
import java.util.List;

/**
 * The {@code emoncms} scheme: {@code emoncms://HOST[:PORT]/PATH} over plain HTTP, options
 * {@code apikey} or {@code user} + {@code password}. See {@link EmoncmssTargetProvider} for https.
 */
public final class EmoncmsTargetProvider implements SyncTargetProvider {

    /** For {@link java.util.ServiceLoader}. */
    public EmoncmsTargetProvider() {}

    @Override
    public String scheme() {
        return "emoncms";
    }

    @Override
    public String description() {
        return "Emoncms feeds (http): TAG/NAME entries, append-only uploads through feed/sync, downloads through feed/export";
    }

    @Override
    public List<TargetOption> options() {
        return EmoncmsOptions.OPTIONS;
    }

    @Override
    public SyncTarget open(TargetSpec spec) throws IOException {
        if (!scheme().equals(spec.scheme())) {
            throw new InvalidTargetException("not an emoncms: location: " + spec.location());
        }
        return EmoncmsTarget.open(EmoncmsOptions.parse(spec, false));
    }
}
