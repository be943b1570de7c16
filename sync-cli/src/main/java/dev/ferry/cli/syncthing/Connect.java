package dev.ferry.cli.syncthing;

import dev.ferry.api.TargetSpec;
import dev.ferry.backend.syncthing.SyncthingNode;
import dev.ferry.core.RemotesConfig;
import dev.ferry.core.SyncTargets;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How a {@code ferry syncthing} command reaches its node: {@code --gui URL --apikey KEY}, or a
 * named remote whose {@code url} is a {@code syncthing://} location; the key may also come from
 * {@code FERRY_SYNCTHING_APIKEY}.
 */
public final class Connect {

    /** The environment variable read when no key is given otherwise. */
    public static final String APIKEY_ENV = "FERRY_SYNCTHING_APIKEY";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--gui", paramLabel = "URL", description = "The node's GUI/REST address, e.g. http://127.0.0.1:8384.")
    String gui;

    @Option(names = "--apikey", paramLabel = "KEY", description = "The node's API key (default: $" + APIKEY_ENV + ").")
    String apiKey;

    @Option(names = "--remote", paramLabel = "NAME", description = "A named remote whose url is syncthing://HOST:PORT/FOLDER.")
    String remote;

    @Option(names = "--config", paramLabel = "FILE", description = "Remotes config file (default: the usual ferry.conf).")
    Path config;

    @Option(names = "--cert", paramLabel = "PEM", description = "https: pin this certificate (the node's https-cert.pem).")
    Path cert;

    /** The node client, or a usage error saying what is missing. */
    SyncthingNode node() throws IOException {
        String address = gui;
        String key = apiKey;
        Path pin = cert;
        if (remote != null) {
            TargetSpec s = remoteSpec();
            String scheme = s.scheme();
            if (!scheme.equals("syncthing") && !scheme.equals("syncthings")) {
                throw usage("remote '" + remote + "' is a " + scheme + ": location, not syncthing://");
            }
            if (address == null) {
                address = (scheme.equals("syncthings") ? "https://" : "http://") + s.location().getRawAuthority();
            }
            if (key == null) {
                key = s.option("apikey").orElse(null);
            }
            if (pin == null && s.option("cert").isPresent()) {
                pin = Path.of(s.option("cert").get());
            }
        }
        if (key == null) {
            key = SyncthingCommand.env.apply(APIKEY_ENV);
        }
        if (address == null) {
            throw usage("say which node: --gui URL (and --apikey KEY), or --remote NAME");
        }
        if (key == null || key.isBlank()) {
            throw usage("an API key is needed: --apikey KEY, $" + APIKEY_ENV + ", or a remote's apikey");
        }
        if (!address.contains("://")) {
            address = "http://" + address;
        }
        try {
            SyncthingNode.Builder b = SyncthingNode.builder(URI.create(address)).apiKey(key);
            if (pin != null) {
                b.pinnedCertificate(pin);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private TargetSpec remoteSpec() throws IOException {
        Path file = config != null ? config : RemotesConfig.defaultPath(SyncthingCommand.env);
        RemotesConfig remotes = RemotesConfig.load(file, SyncthingCommand.env);
        if (!remotes.names().contains(remote)) {
            throw usage("no remote '" + remote + "' in " + remotes.fileName());
        }
        return remotes.spec(remote, SyncTargets.load(), SyncthingCommand.env);
    }

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
