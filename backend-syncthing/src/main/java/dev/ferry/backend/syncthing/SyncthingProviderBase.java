package dev.ferry.backend.syncthing;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import dev.ferry.backend.support.SpecOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The two Syncthing schemes: {@code syncthing://HOST:GUIPORT/FOLDER_ID[/SUB/PATH]} (http GUI) and
 * {@code syncthings://...} (https GUI), with the API key in the {@code apikey} option or the
 * {@code FERRY_SYNCTHING_APIKEY} environment variable.
 */
abstract sealed class SyncthingProviderBase implements SyncTargetProvider
        permits SyncthingTargetProvider, SyncthingsTargetProvider {

    /** The environment variable read when no {@code apikey} option is given. */
    static final String APIKEY_ENV = "FERRY_SYNCTHING_APIKEY";

    static final List<TargetOption> OPTIONS = List.of(
            TargetOption.secret("apikey", "the node's API key (or set " + APIKEY_ENV + ")"),
            TargetOption.of("waitForPeers", "at the end of a run, wait until every peer sharing the folder has everything"),
            TargetOption.of("peerTimeout", "how long waitForPeers waits (default 5m)"),
            TargetOption.of("fsync", "force each written file to the device before publishing it (default false)"),
            TargetOption.of("cert", "syncthings: the node's GUI certificate (PEM) to pin, e.g. HOME/https-cert.pem"),
            TargetOption.of("ca", "syncthings: a CA certificate (PEM) that issued the GUI certificate"));

    private final String scheme;
    private final boolean https;

    SyncthingProviderBase(String scheme, boolean https) {
        this.scheme = scheme;
        this.https = https;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public List<TargetOption> options() {
        return OPTIONS;
    }

    @Override
    public SyncTarget open(TargetSpec spec) throws IOException {
        SpecOptions.requireKnown(spec, OPTIONS);
        URI uri = spec.location();
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new InvalidTargetException(scheme + ": locations are " + scheme + "://HOST:GUIPORT/FOLDER_ID, not " + uri);
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/+", "");
        if (path.isEmpty()) {
            throw new InvalidTargetException(scheme + ": the location names no folder ID: " + uri);
        }
        int slash = path.indexOf('/');
        String folderId = slash < 0 ? path : path.substring(0, slash);
        String rest = slash < 0 ? "" : path.substring(slash + 1).replaceFirst("/+$", "");
        SyncPath base;
        try {
            FolderConfig.checkId(folderId);
            base = rest.isEmpty() ? SyncPath.ROOT : SyncPath.of(rest);
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException(scheme + ": " + e.getMessage(), e);
        }
        String apiKey = spec.option("apikey").orElse(System.getenv(APIKEY_ENV));
        if (apiKey == null || apiKey.isBlank()) {
            throw new InvalidTargetException(scheme + ": an API key is required (option apikey or " + APIKEY_ENV + ")");
        }
        SyncthingNode.Builder b = SyncthingNode.builder(URI.create((https ? "https://" : "http://") + uri.getRawAuthority()))
                .apiKey(apiKey);
        if (https) {
            if (spec.option("cert").isPresent()) {
                b.pinnedCertificate(Path.of(spec.option("cert").get()));
            } else if (spec.option("ca").isPresent()) {
                b.caCertificate(Tls.readCertificate(Path.of(spec.option("ca").get())));
            }
        } else if (spec.option("cert").isPresent() || spec.option("ca").isPresent()) {
            throw new InvalidTargetException("syncthing: is plain http; use syncthings:// for a pinned certificate or CA");
        }
        boolean wait = SpecOptions.flag(spec, "waitForPeers", false);
        Duration timeout = SpecOptions.duration(spec, "peerTimeout", Duration.ofMinutes(5));
        boolean fsync = SpecOptions.flag(spec, "fsync", false);
        return SyncthingTarget.open(b.build(), folderId, base, wait, timeout, fsync);
    }
}
