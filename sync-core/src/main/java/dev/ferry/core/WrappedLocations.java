package dev.ferry.core;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import dev.ferry.api.TargetWrapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Locations of wrapped targets, {@code scheme:INNER} ({@code crypt:s3-archive:vault}), for
 * {@link SyncTargets}. Parsing keeps INNER as text (a relative path made absolute) and does not
 * resolve it, so a remote whose {@code url} wraps another remote reads before all remotes are
 * known; opening resolves INNER the usual way, with the options the wrapper does not declare,
 * and wraps the result. A sub-path after a named wrapper remote ({@code vault:2024}) is a path in
 * the wrapper's view (plaintext names for {@code crypt}), carried as the location's fragment.
 */
final class WrappedLocations {

    private static final Pattern SCHEME_LIKE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*", Pattern.DOTALL);
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("//[^/@?#:]*:[^/@?#]*@");

    private WrappedLocations() {}

    static Map<String, TargetWrapper> register(Map<String, TargetWrapper> known,
            Collection<? extends TargetWrapper> more, Set<String> providerSchemes) {
        Map<String, TargetWrapper> all = new TreeMap<>(known);
        for (TargetWrapper w : more) {
            String scheme = w.scheme().toLowerCase(Locale.ROOT);
            TargetWrapper old = all.putIfAbsent(scheme, w);
            if (old != null && old != w || providerSchemes.contains(scheme)) {
                throw new IllegalStateException("two implementations for scheme '" + scheme + "': "
                        + w.getClass().getName() + " and another (remove one of the jars from the class path)");
            }
        }
        return Collections.unmodifiableMap(all);
    }

    /** {@code scheme:inner} as a spec, without resolving {@code inner}. */
    static TargetSpec parse(String scheme, String inner) throws InvalidTargetException {
        if (inner.isBlank()) {
            throw new InvalidTargetException(scheme + ": needs a location to wrap, as in " + scheme + ":/srv/vault or "
                    + scheme + ":my-remote:vault");
        }
        if (USERINFO_PASSWORD.matcher(inner).find()) {
            // The wrapper's own options (crypt's password) would take it: the inner server's
            // password belongs in a named remote.
            throw new InvalidTargetException("a password in the location wrapped by " + scheme + ": is not taken ("
                    + SyncTargets.redact(inner) + "); define the inner location as a named remote with its password"
                    + " and wrap that: " + scheme + ":my-remote:path");
        }
        String location = inner;
        if (!SCHEME_LIKE.matcher(inner).matches()) {
            try {
                location = Path.of(inner).toAbsolutePath().normalize().toUri().toString();
            } catch (InvalidPathException e) {
                throw new InvalidTargetException("not a valid local path after " + scheme + ": " + e.getMessage());
            }
        }
        try {
            return TargetSpec.of(new URI(scheme.toLowerCase(Locale.ROOT), location, null));
        } catch (URISyntaxException e) {
            throw new InvalidTargetException("cannot wrap '" + SyncTargets.redact(inner) + "': " + e.getReason());
        }
    }

    /** A named wrapper remote's spec pointed at {@code rest} (a relative path) inside its view. */
    static TargetSpec below(TargetSpec remote, String rest) throws InvalidTargetException {
        SyncPath sub = TargetWrapper.subPath(remote).resolve(SyncPath.of(rest));
        URI base = remote.location();
        try {
            return new TargetSpec(new URI(base.getScheme(), base.getSchemeSpecificPart(), sub.toString()),
                    remote.options());
        } catch (URISyntaxException e) {
            throw new InvalidTargetException("cannot join '" + rest + "' to " + base.getScheme() + ": " + e.getReason());
        }
    }

    /** Opens the inner location with the options the wrapper does not take, and wraps it. */
    static SyncTarget open(SyncTargets targets, TargetWrapper wrapper, TargetSpec spec) throws IOException {
        Map<String, String> own = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, String> inner = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Set<String> declared = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        wrapper.options().stream().map(TargetOption::name).forEach(declared::add);
        spec.options().forEach((k, v) -> (declared.contains(k) ? own : inner).put(k, v));
        SyncTarget opened = targets.open(TargetWrapper.innerLocation(spec), inner);
        try {
            return wrapper.wrap(opened, new TargetSpec(spec.location(), own));
        } catch (IOException | RuntimeException e) {
            try {
                opened.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
