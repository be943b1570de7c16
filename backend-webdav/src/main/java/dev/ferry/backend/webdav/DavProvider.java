package dev.ferry.backend.webdav;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import java.io.IOException;
import java.util.List;

/** What the three WebDAV providers share: one scheme each, one dialect each, one parser. */
abstract class DavProvider implements SyncTargetProvider {

    private final String scheme;
    private final String description;
    private final WebDavOptions.Kind kind;

    DavProvider(String scheme, String description, WebDavOptions.Kind kind) {
        this.scheme = scheme;
        this.description = description;
        this.kind = kind;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<TargetOption> options() {
        return WebDavOptions.known(kind);
    }

    @Override
    public SyncTarget open(TargetSpec spec) throws IOException {
        if (!scheme.equals(spec.scheme())) {
            throw new InvalidTargetException("not a " + scheme + ": location: " + spec.location());
        }
        return WebDavTarget.open(WebDavOptions.parse(spec));
    }
}
