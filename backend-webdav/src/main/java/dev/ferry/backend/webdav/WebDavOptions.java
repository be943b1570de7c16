package dev.ferry.backend.webdav;

import dev.ferry.backend.support.SpecOptions;
import dev.ferry.backend.support.TlsTrust;
import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything a WebDAV target needs, parsed from a {@link TargetSpec}. {@link #toString()} and
 * {@link #description()} never show the password.
 *
 * @param kind a generic WebDAV server or Nextcloud (chunked uploads, checksums, fixed URL layout)
 * @param https whether requests go over TLS (verified against the JVM's trust store unless {@code trust} says otherwise)
 * @param host the server
 * @param port the port, or -1 for the scheme's default
 * @param rootSegments the decoded path segments of the target's root collection on the server
 * @param uploadSegments for Nextcloud, the decoded segments of {@code remote.php/dav/uploads/<user>}
 * @param user the login name, or empty for no authentication
 * @param password the password or app password (secret)
 * @param connections the most requests in flight at once (also the listing parallelism)
 * @param connectTimeout time allowed to connect
 * @param timeout time allowed for any response or read
 * @param chunkSize Nextcloud chunk size in bytes; 0 turns chunked uploads off
 * @param lockRetry first wait after 423 Locked, doubled per retry
 * @param tempMaxAge age after which leftover temporary files are deleted by listings
 * @param location the location as given, without credentials, for messages
 * @param trust a pinned certificate or CA file to trust instead of the JVM's store, if given
 */
record WebDavOptions(
        Kind kind,
        boolean https,
        String host,
        int port,
        List<String> rootSegments,
        List<String> uploadSegments,
        String user,
        String password,
        int connections,
        Duration connectTimeout,
        Duration timeout,
        long chunkSize,
        Duration lockRetry,
        Duration tempMaxAge,
        String location,
        Optional<TlsTrust> trust) {

    /** Which dialect the server speaks. */
    enum Kind { GENERIC, NEXTCLOUD }

    static final String USER = "user";
    static final String PASSWORD = "password";
    static final String PLAIN_HTTP = "plainHttp";
    static final String CONNECTIONS = "connections";
    static final String CONNECT_TIMEOUT = "connectTimeout";
    static final String TIMEOUT = "timeout";
    static final String CHUNK_SIZE = "chunkSize";
    static final String LOCK_RETRY = "lockRetry";
    static final String TEMP_MAX_AGE = "tempMaxAge";

    /** 10 MiB, rclone's nextcloud_chunk_size: large enough that request overhead is small, within v2's 5 MiB..5 GiB rule. */
    static final long DEFAULT_CHUNK_SIZE = 10L << 20;
    static final long MIN_CHUNK_SIZE = 5L << 20;
    static final long MAX_CHUNK_SIZE = 5L << 30;

    static final List<TargetOption> GENERIC_LOGIN = List.of(
            TargetOption.of(USER, "login name (also from the URI's user@); none: no authentication"),
            TargetOption.secret(PASSWORD, "login password (HTTP Basic, sent only to this host)"));

    static final List<TargetOption> NEXTCLOUD_LOGIN = List.of(
            TargetOption.of(USER, "login name (also from the URI's user@; default the user id in the path)"),
            TargetOption.secret(PASSWORD, "app password (Settings > Security > Devices & sessions)"));

    static final List<TargetOption> COMMON = List.of(
            TargetOption.of(CONNECTIONS, "most requests in flight at once, also the listing parallelism (default 8)"),
            TargetOption.of(CONNECT_TIMEOUT, "time allowed to connect, e.g. 30s (default 30s)"),
            TargetOption.of(TIMEOUT, "time allowed for a response or for data to arrive (default 60s)"),
            TargetOption.of(LOCK_RETRY, "first wait after 423 Locked, doubled on each of 5 retries (default 5s)"),
            TargetOption.of(TEMP_MAX_AGE, "age after which leftover temporary files (.ferry-*.partial) are deleted (default 1h)"),
            TlsTrust.OPTIONS.get(0), TlsTrust.OPTIONS.get(1));

    static final List<TargetOption> NEXTCLOUD_ONLY = List.of(
            TargetOption.of(PLAIN_HTTP, "talk plain http instead of https, for a local test server (default false)"),
            TargetOption.of(CHUNK_SIZE, "chunked-upload chunk size as a number of bytes, 5 MiB..5 GiB; files larger than this are "
                    + "sent in chunks; 0 turns chunking off (default 10 MiB, written 10485760)"));

    static List<TargetOption> known(Kind kind) {
        List<TargetOption> all = new ArrayList<>(kind == Kind.NEXTCLOUD ? NEXTCLOUD_LOGIN : GENERIC_LOGIN);
        all.addAll(COMMON);
        if (kind == Kind.NEXTCLOUD) {
            all.addAll(NEXTCLOUD_ONLY);
        }
        return List.copyOf(all);
    }

    @Override
    public String toString() {
        return "WebDavOptions[" + description() + ", connections=" + connections + "]";
    }

    /** Where this target points, without credentials. */
    String description() {
        return location;
    }

    /** Parses a {@code webdav:}, {@code webdavs:} or {@code nextcloud:} spec. */
    static WebDavOptions parse(TargetSpec spec) throws InvalidTargetException {
        URI uri = spec.location();
        String scheme = spec.scheme();
        Kind kind = switch (scheme) {
            case "webdav", "webdavs" -> Kind.GENERIC;
            case "nextcloud" -> Kind.NEXTCLOUD;
            default -> throw new InvalidTargetException("not a WebDAV location: " + scheme + ":");
        };
        String host = uri.getHost();
        if (uri.isOpaque() || host == null || host.isEmpty()) {
            throw new InvalidTargetException("a " + scheme + " location needs a host, like " + scheme
                    + (kind == Kind.NEXTCLOUD ? "://host/userid/path" : "://host/path") + ": " + uri);
        }
        SpecOptions.requireKnown(spec, known(kind));
        List<String> path = segments(uri, scheme);
        String user = spec.option(USER).map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        if (user == null && uri.getUserInfo() != null && !uri.getUserInfo().isEmpty()) {
            user = uri.getUserInfo();
        }
        boolean https;
        List<String> root;
        List<String> uploads = List.of();
        if (kind == Kind.NEXTCLOUD) {
            if (path.isEmpty()) {
                throw new InvalidTargetException("a nextcloud location names the user id first: nextcloud://host/userid[/path]: " + uri);
            }
            String userId = path.get(0);
            https = !SpecOptions.flag(spec, PLAIN_HTTP, false);
            List<String> r = new ArrayList<>(List.of("remote.php", "dav", "files"));
            r.addAll(path);
            root = List.copyOf(r);
            uploads = List.of("remote.php", "dav", "uploads", userId);
            if (user == null) {
                user = userId;
            }
        } else {
            https = scheme.equals("webdavs");
            root = path;
        }
        long chunk = kind == Kind.NEXTCLOUD ? SpecOptions.number(spec, CHUNK_SIZE, DEFAULT_CHUNK_SIZE, 0, MAX_CHUNK_SIZE) : 0;
        if (chunk != 0 && chunk < MIN_CHUNK_SIZE) {
            throw new InvalidTargetException("option '" + CHUNK_SIZE + "' must be 0 (off) or from " + MIN_CHUNK_SIZE
                    + " (5 MiB, Nextcloud's smallest chunk) to " + MAX_CHUNK_SIZE + ", not '" + spec.options().get(CHUNK_SIZE) + "'");
        }
        String shown = scheme + "://" + (user == null ? "" : user + "@") + uri.getRawAuthority().replaceFirst("^.*@", "")
                + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        return new WebDavOptions(kind, https, host, uri.getPort(), root, uploads, user == null ? "" : user,
                spec.option(PASSWORD).orElse(""),
                (int) SpecOptions.number(spec, CONNECTIONS, 8, 1, 64),
                SpecOptions.duration(spec, CONNECT_TIMEOUT, Duration.ofSeconds(30)),
                SpecOptions.duration(spec, TIMEOUT, Duration.ofSeconds(60)),
                chunk,
                SpecOptions.duration(spec, LOCK_RETRY, Duration.ofSeconds(5)),
                SpecOptions.duration(spec, TEMP_MAX_AGE, Duration.ofHours(1)),
                shown,
                trustFor(spec, https));
    }

    /** The TLS trust options; refused on plain http, where they would silently do nothing. */
    private static Optional<TlsTrust> trustFor(TargetSpec spec, boolean https) throws InvalidTargetException {
        Optional<TlsTrust> trust = TlsTrust.of(spec);
        if (trust.isPresent() && !https) {
            throw new InvalidTargetException("options '" + TlsTrust.PINNED_CERTIFICATE + "' and '" + TlsTrust.CA
                    + "' apply to https only; this location talks plain http");
        }
        return trust;
    }

    /** The decoded, checked segments of the URI's path. */
    private static List<String> segments(URI uri, String scheme) throws InvalidTargetException {
        List<String> out = new ArrayList<>();
        String raw = uri.getRawPath() == null ? "" : uri.getRawPath();
        for (String s : raw.split("/")) {
            if (s.isEmpty()) {
                continue;
            }
            Optional<String> name = DavPaths.decode(s);
            if (name.isEmpty() || name.get().equals(".") || name.get().equals("..") || name.get().indexOf('/') >= 0) {
                throw new InvalidTargetException("the path of a " + scheme + " location must not contain ., .. or "
                        + "bad escapes: " + uri);
            }
            out.add(name.get());
        }
        return out;
    }

    /** The base URL of the server, {@code http[s]://host[:port]}. */
    String origin() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return (https ? "https://" : "http://") + h + (port > 0 ? ":" + port : "");
    }
}
