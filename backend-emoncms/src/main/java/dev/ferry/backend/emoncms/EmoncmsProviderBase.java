package dev.ferry.backend.emoncms;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import java.io.IOException;
import java.util.List;

/** What the http and https schemes share: the options and how a target is opened. */
abstract class EmoncmsProviderBase implements SyncTargetProvider {

    private final String scheme;
    private final boolean https;

    EmoncmsProviderBase(String scheme, boolean https) {
        this.scheme = scheme;
        this.https = https;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public String description() {
        return "Emoncms feeds (" + (https ? "https, certificate checked" : "http")
                + "): TAG/NAME entries, append-only uploads through feed/sync, downloads through feed/export";
    }

    @Override
    public List<TargetOption> options() {
        return EmoncmsOptions.OPTIONS;
    }

    @Override
    public SyncTarget open(TargetSpec spec) throws IOException {
        if (!scheme.equals(spec.scheme())) {
            throw new InvalidTargetException("not an " + scheme + ": location: " + spec.location());
        }
        return EmoncmsTarget.open(EmoncmsOptions.parse(spec, https));
    }
}
