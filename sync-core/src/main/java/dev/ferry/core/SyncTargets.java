package dev.ferry.core;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargetProvider;
import dev.ferry.api.TargetSpec;
import dev.ferry.api.TargetWrapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry of providers, by URI scheme, and the one parser of target locations used by the
 * library and the command line alike.
 *
 * <p>A location is one of:
 * <ul>
 *   <li>a plain path ({@code ./photos}, {@code /srv/backup}): the local file system;</li>
 *   <li>a URI whose scheme a provider serves ({@code s3://bucket/dir?region=eu-west-1}); the
 *       query string becomes options, and {@code user:password@} in the authority becomes the
 *       options {@code user} and {@code password};</li>
 *   <li>a named remote with an optional sub-path ({@code photos-ftp:} or
 *       {@code photos-ftp:2024/june}), when remotes were given with {@link #withRemotes};</li>
 *   <li>a wrapper around any of these ({@code crypt:photos-ftp:vault}), when a
 *       {@link TargetWrapper} serves the scheme ({@link WrappedLocations}).</li>
 * </ul>
 * Options passed by the caller win over those in the location, which win over a remote's.
 */
public final class SyncTargets {

    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):(.*)$", Pattern.DOTALL);
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("(//[^/@?#:]*):[^/@?#]*@");
    private static final Pattern REMOTE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private final Map<String, SyncTargetProvider> providers;
    private final Map<String, TargetSpec> remotes;
    private final Map<String, TargetWrapper> wrappers;

    private SyncTargets(Map<String, SyncTargetProvider> providers, Map<String, TargetSpec> remotes) {
        this(providers, remotes, Map.of());
    }

    private SyncTargets(Map<String, SyncTargetProvider> providers, Map<String, TargetSpec> remotes,
            Map<String, TargetWrapper> wrappers) {
        this.providers = providers;
        this.remotes = remotes;
        this.wrappers = wrappers;
    }

    /**
     * The providers found by {@link ServiceLoader} on the class path of this class's loader.
     *
     * @throws IllegalStateException if two providers claim the same scheme
     */
    public static SyncTargets load() {
        return load(SyncTargets.class.getClassLoader());
    }

    /** The providers {@link ServiceLoader} finds through {@code loader}. */
    public static SyncTargets load(ClassLoader loader) {
        List<SyncTargetProvider> found = new ArrayList<>();
        ServiceLoader.load(SyncTargetProvider.class, loader).forEach(found::add);
        List<TargetWrapper> wrappers = new ArrayList<>();
        ServiceLoader.load(TargetWrapper.class, loader).forEach(wrappers::add);
        return of(found).withWrappers(wrappers);
    }

    /**
     * A registry of exactly these providers.
     *
     * @throws IllegalStateException if two providers claim the same scheme
     */
    public static SyncTargets of(Collection<? extends SyncTargetProvider> providers) {
        Map<String, SyncTargetProvider> byScheme = new TreeMap<>();
        for (SyncTargetProvider p : providers) {
            String scheme = p.scheme().toLowerCase(Locale.ROOT);
            SyncTargetProvider old = byScheme.putIfAbsent(scheme, p);
            if (old != null) {
                throw new IllegalStateException("two providers for scheme '" + scheme + "': "
                        + old.getClass().getName() + " and " + p.getClass().getName()
                        + " (remove one of the jars from the class path)");
            }
        }
        return new SyncTargets(Collections.unmodifiableMap(byScheme), Map.of());
    }

    /**
     * This registry plus named remotes ({@code name -> spec}), as read from a config file.
     *
     * @throws IllegalArgumentException if a name is not a valid remote name or is a scheme
     */
    public SyncTargets withRemotes(Map<String, TargetSpec> named) {
        Map<String, TargetSpec> all = new TreeMap<>(remotes);
        named.forEach((name, spec) -> {
            if (!REMOTE_NAME.matcher(name).matches() || name.length() == 1) {
                throw new IllegalArgumentException("invalid remote name '" + name
                        + "': use letters, digits, '_', '-', '.', at least two characters");
            }
            if (providers.containsKey(name.toLowerCase(Locale.ROOT)) || wrappers.containsKey(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("remote '" + name + "' has the name of a scheme; pick another name");
            }
            all.put(name, spec);
        });
        return new SyncTargets(providers, Collections.unmodifiableMap(all), wrappers);
    }

    /**
     * This registry plus wrappers ({@code crypt:LOCATION}), by scheme.
     *
     * @throws IllegalStateException if two wrappers, or a wrapper and a provider, claim one scheme
     */
    public SyncTargets withWrappers(Collection<? extends TargetWrapper> more) {
        return new SyncTargets(providers, remotes, WrappedLocations.register(wrappers, more, providers.keySet()));
    }

    /** The wrappers, by scheme. */
    public Map<String, TargetWrapper> wrappers() {
        return wrappers;
    }

    /** The providers, by scheme. */
    public Map<String, SyncTargetProvider> providers() {
        return providers;
    }

    /** The named remotes, by name. */
    public Map<String, TargetSpec> remotes() {
        return remotes;
    }

    /** The provider for a scheme. */
    public Optional<SyncTargetProvider> provider(String scheme) {
        return Optional.ofNullable(providers.get(scheme.toLowerCase(Locale.ROOT)));
    }

    /** Opens a location with no extra options. */
    public SyncTarget open(String location) throws IOException {
        return open(location, Map.of());
    }

    /** Parses a location and opens it with the provider of its scheme. */
    public SyncTarget open(String location, Map<String, String> options) throws IOException {
        return open(parse(location, options));
    }

    /** Opens a parsed spec. */
    public SyncTarget open(TargetSpec spec) throws IOException {
        TargetWrapper wrapper = wrappers.get(spec.scheme());
        if (wrapper != null) {
            return WrappedLocations.open(this, wrapper, spec);
        }
        SyncTargetProvider p = providers.get(spec.scheme());
        if (p == null) {
            throw unknownScheme(spec.scheme(), spec.location().toString());
        }
        return p.open(spec);
    }

    /**
     * Parses a location into a spec, without opening anything.
     *
     * @throws InvalidTargetException naming what is wrong: a malformed URI, an unknown scheme or
     *     remote, an empty location
     */
    public TargetSpec parse(String location, Map<String, String> options) throws InvalidTargetException {
        if (location == null || location.isBlank()) {
            throw new InvalidTargetException("empty target location");
        }
        TargetSpec spec;
        Matcher m = SCHEME.matcher(location);
        if (m.matches() && m.group(1).length() > 1) {
            String scheme = m.group(1);
            if (providers.containsKey(scheme.toLowerCase(Locale.ROOT))) {
                spec = parseUri(location);
            } else if (wrappers.containsKey(scheme.toLowerCase(Locale.ROOT))) {
                spec = WrappedLocations.parse(scheme, m.group(2));
            } else if (remotes.containsKey(scheme)) {
                spec = resolveRemote(scheme, m.group(2));
            } else {
                throw unknownScheme(scheme, location);
            }
        } else {
            spec = parseLocalPath(location);
        }
        if (options.isEmpty()) {
            return spec;
        }
        Map<String, String> merged = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        merged.putAll(spec.options());
        merged.putAll(options);
        return new TargetSpec(spec.location(), merged);
    }

    private static TargetSpec parseLocalPath(String location) throws InvalidTargetException {
        try {
            return TargetSpec.of(Path.of(location).toAbsolutePath().normalize().toUri());
        } catch (InvalidPathException e) {
            throw new InvalidTargetException("not a valid local path: " + e.getMessage());
        }
    }

    private static TargetSpec parseUri(String location) throws InvalidTargetException {
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            throw new InvalidTargetException("malformed URI (" + e.getReason() + " at index " + e.getIndex()
                    + "; percent-encode spaces and reserved characters): " + redact(location));
        }
        Map<String, String> options = new HashMap<>();
        String rawQuery = uri.getRawQuery();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = percentDecode(eq < 0 ? pair : pair.substring(0, eq), location);
                String value = eq < 0 ? "true" : percentDecode(pair.substring(eq + 1), location);
                if (key.isEmpty()) {
                    throw new InvalidTargetException("empty option name in the query of " + redact(location));
                }
                options.put(key, value);
            }
        }
        String rawUserInfo = uri.getRawUserInfo();
        String userForUri = null;
        if (rawUserInfo != null) {
            int colon = rawUserInfo.indexOf(':');
            String user = colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon);
            userForUri = user;
            options.put("user", percentDecode(user, "the user name"));
            if (colon >= 0) {
                options.put("password", percentDecode(rawUserInfo.substring(colon + 1), "the password"));
            }
        }
        try {
            String authority = uri.getRawAuthority();
            if (authority != null && rawUserInfo != null) {
                authority = userForUri + authority.substring(rawUserInfo.length());
            }
            StringBuilder b = new StringBuilder(uri.getScheme()).append(':');
            if (authority != null) {
                b.append("//").append(authority);
            }
            b.append(uri.getRawPath() == null ? uri.getRawSchemeSpecificPart() : uri.getRawPath());
            if (uri.getRawFragment() != null) {
                throw new InvalidTargetException("'#' starts a fragment in a URI; percent-encode it as %23: "
                        + redact(location));
            }
            return new TargetSpec(new URI(b.toString()), options);
        } catch (URISyntaxException e) {
            throw new InvalidTargetException("malformed URI: " + redact(location));
        }
    }

    private TargetSpec resolveRemote(String name, String subPath) throws InvalidTargetException {
        TargetSpec remote = remotes.get(name);
        String rest = subPath.replaceAll("^/+", "");
        if (rest.isEmpty()) {
            return remote;
        }
        try {
            SyncPath.of(rest.replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException("bad path after remote '" + name + ":': " + e.getMessage());
        }
        if (wrappers.containsKey(remote.scheme())) {
            return WrappedLocations.below(remote, rest.replaceAll("/+$", ""));
        }
        URI base = remote.location();
        String basePath = base.getPath() == null ? "" : base.getPath();
        String joined = (basePath.endsWith("/") ? basePath : basePath + "/") + rest;
        try {
            URI uri = new URI(base.getScheme(), base.getRawAuthority() == null ? null : base.getAuthority(),
                    joined, null, null);
            return new TargetSpec(uri, remote.options());
        } catch (URISyntaxException e) {
            throw new InvalidTargetException("cannot join remote '" + name + "' with '" + rest + "': " + e.getReason());
        }
    }

    private InvalidTargetException unknownScheme(String scheme, String location) {
        String msg = "unknown scheme '" + scheme + "' in " + redact(location)
                + "; known schemes: " + String.join(", ", providers.keySet());
        if (!remotes.isEmpty()) {
            msg += "; named remotes: " + String.join(", ", remotes.keySet());
        }
        return new InvalidTargetException(msg);
    }

    /**
     * Hides any password written into a location ({@code //user:password@host}) in a text, for
     * echoing user input and messages that may quote it.
     */
    public static String redact(String text) {
        return text == null ? null : USERINFO_PASSWORD.matcher(text).replaceAll("$1:***@");
    }

    private static String percentDecode(String s, String where) throws InvalidTargetException {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder text = new StringBuilder(s.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) != '%') {
                text.append(s.charAt(i++));
                continue;
            }
            // A run of escapes is one UTF-8 byte sequence.
            bytes.reset();
            while (i < s.length() && s.charAt(i) == '%') {
                int hi = i + 1 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new InvalidTargetException("bad percent escape in " + redact(where));
                }
                bytes.write(hi * 16 + lo);
                i += 3;
            }
            text.append(bytes.toString(StandardCharsets.UTF_8));
        }
        return text.toString();
    }
}
