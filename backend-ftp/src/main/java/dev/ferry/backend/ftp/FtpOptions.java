package dev.ferry.backend.ftp;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import dev.ferry.backend.support.SpecOptions;
import dev.ferry.backend.support.TlsTrust;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything a connection needs, parsed from a {@link TargetSpec}. {@link #toString()} never
 * shows the password.
 *
 * @param tls how TLS is used: none ({@code ftp}), explicit ({@code ftps}, AUTH TLS) or implicit
 * @param host the server
 * @param port the control port
 * @param user the login name ({@code anonymous} when none is given)
 * @param password the password (secret)
 * @param rootPath the absolute path of the target's root on the server; empty for the login directory
 * @param trustAll accept any server certificate (explicit opt-in)
 * @param pinnedSha256 the SHA-256 fingerprint of the only certificate accepted, if set
 * @param encoding the control encoding for file names
 * @param serverTimeZone the time zone of LIST timestamps
 * @param connections the most control connections open at once
 * @param connectTimeout time allowed for connecting and for the greeting
 * @param timeout time allowed for any reply or data read
 * @param keepAlive interval of NOOPs on the control connection during a long transfer; zero for none
 * @param passive passive mode (true) or active mode
 * @param tempMaxAge age after which leftover temporary files are deleted
 */
record FtpOptions(
        Tls tls,
        String host,
        int port,
        String user,
        String password,
        String rootPath,
        boolean trustAll,
        Optional<byte[]> pinnedSha256,
        Charset encoding,
        ZoneId serverTimeZone,
        int connections,
        Duration connectTimeout,
        Duration timeout,
        Duration keepAlive,
        boolean passive,
        Duration tempMaxAge) {

    /** How TLS is used. */
    enum Tls { NONE, EXPLICIT, IMPLICIT }

    static final String USER = "user";
    static final String PASSWORD = "password";
    static final String IMPLICIT_TLS = "implicitTls";
    static final String TRUST_ALL = "trustAll";
    static final String PINNED_CERTIFICATE = TlsTrust.PINNED_CERTIFICATE;
    static final String ENCODING = "encoding";
    static final String SERVER_TIME_ZONE = "serverTimeZone";
    static final String CONNECTIONS = "connections";
    static final String CONNECT_TIMEOUT = "connectTimeout";
    static final String TIMEOUT = "timeout";
    static final String KEEP_ALIVE = "keepAlive";
    static final String PASSIVE = "passive";
    static final String TEMP_MAX_AGE = "tempMaxAge";

    static final List<TargetOption> COMMON = List.of(
            TargetOption.of(USER, "login name (also from the URI's user@; default anonymous)"),
            TargetOption.secret(PASSWORD, "login password"),
            TargetOption.of(ENCODING, "control encoding for file names (default UTF-8; OPTS UTF8 ON is sent when FEAT offers it)"),
            TargetOption.of(SERVER_TIME_ZONE, "time zone of LIST timestamps on servers without MLSD (default UTC)"),
            TargetOption.of(CONNECTIONS, "most control connections open at once, one per concurrent transfer (default 8)"),
            TargetOption.of(CONNECT_TIMEOUT, "time allowed to connect and log in, e.g. 30s (default 30s)"),
            TargetOption.of(TIMEOUT, "time allowed for a reply or data to arrive, e.g. 60s (default 60s)"),
            TargetOption.of(KEEP_ALIVE, "NOOP interval on the control connection during long uploads and downloads, so a NAT or firewall keeps it (default 60s; off for none)"),
            TargetOption.of(PASSIVE, "passive mode (default true); false for active mode"),
            TargetOption.of(TEMP_MAX_AGE, "age after which leftover temporary files (.ferry-*.partial) are deleted (default 1h)"));

    static final List<TargetOption> TLS_ONLY = List.of(
            TargetOption.of(IMPLICIT_TLS, "implicit TLS (TLS from the first byte, usually port 990) instead of AUTH TLS (default false)"),
            TargetOption.of(TRUST_ALL, "accept any server certificate, unverified (default false: verified against the system trust store)"),
            TargetOption.of(PINNED_CERTIFICATE, "SHA-256 fingerprint (hex, colons allowed) of the one server certificate to accept"));


    @Override
    public String toString() {
        return "FtpOptions[" + tls + " " + user + "@" + host + ":" + port + rootPath + ", connections=" + connections + "]";
    }

    /** Where this target points, without credentials. */
    String description() {
        String scheme = tls == Tls.NONE ? "ftp" : "ftps";
        int defaultPort = tls == Tls.IMPLICIT ? 990 : 21;
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        return scheme + "://" + user + "@" + hostPart + (port == defaultPort ? "" : ":" + port)
                + (rootPath.isEmpty() ? "/" : rootPath);
    }

    /** Parses a spec of scheme {@code ftp} ({@code tlsScheme} false) or {@code ftps}. */
    static FtpOptions parse(TargetSpec spec, boolean tlsScheme) throws InvalidTargetException {
        URI uri = spec.location();
        String host = uri.getHost();
        if (uri.isOpaque() || host == null || host.isEmpty()) {
            throw new InvalidTargetException("an " + spec.scheme() + " location needs a host, like "
                    + spec.scheme() + "://user@host/path: " + uri);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        List<TargetOption> known = new ArrayList<>(COMMON);
        if (tlsScheme) {
            known.addAll(TLS_ONLY);
        }
        SpecOptions.requireKnown(spec, known);
        boolean implicit = tlsScheme && SpecOptions.flag(spec, IMPLICIT_TLS, false);
        Tls tls = !tlsScheme ? Tls.NONE : implicit ? Tls.IMPLICIT : Tls.EXPLICIT;
        int port = uri.getPort() > 0 ? uri.getPort() : implicit ? 990 : 21;
        String user = value(spec, USER).orElse(null);
        if (user == null && uri.getRawUserInfo() != null) {
            user = URLDecoder.decode(uri.getRawUserInfo().replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        if (user == null || user.isEmpty()) {
            user = "anonymous";
        }
        String password = value(spec, PASSWORD).orElse(user.equals("anonymous") ? "ferry@" : "");
        String path = uri.getPath() == null ? "" : uri.getPath();
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.equals("/")) {
            path = "";
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new InvalidTargetException("the path of an " + spec.scheme() + " location must not contain . or ..: " + uri);
            }
        }
        Optional<byte[]> pin = Optional.empty();
        Optional<String> pinText = value(spec, PINNED_CERTIFICATE);
        if (pinText.isPresent()) {
            pin = Optional.of(TlsTrust.fingerprint(pinText.get()));
        }
        Charset encoding;
        try {
            encoding = Charset.forName(value(spec, ENCODING).orElse("UTF-8"));
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException("option '" + ENCODING + "': unknown charset '" + spec.options().get(ENCODING) + "'");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(value(spec, SERVER_TIME_ZONE).orElse("UTC"));
        } catch (RuntimeException e) {
            throw new InvalidTargetException("option '" + SERVER_TIME_ZONE + "': unknown time zone '"
                    + spec.options().get(SERVER_TIME_ZONE) + "' (use an id such as UTC or Europe/Berlin)");
        }
        int connections = (int) SpecOptions.number(spec, CONNECTIONS, 8, 1, 64);
        return new FtpOptions(tls, host, port, user, password, path,
                tlsScheme && SpecOptions.flag(spec, TRUST_ALL, false), pin, encoding, zone, connections,
                SpecOptions.duration(spec, CONNECT_TIMEOUT, Duration.ofSeconds(30)),
                SpecOptions.duration(spec, TIMEOUT, Duration.ofSeconds(60)),
                keepAlive(spec),
                SpecOptions.flag(spec, PASSIVE, true),
                SpecOptions.duration(spec, TEMP_MAX_AGE, Duration.ofHours(1)));
    }

    /** {@code keepAlive}: a positive duration, or {@code off} (also {@code 0}) for no NOOPs at all. */
    private static Duration keepAlive(TargetSpec spec) throws InvalidTargetException {
        String v = value(spec, KEEP_ALIVE).orElse("");
        if (v.equalsIgnoreCase("off") || v.equals("0")) {
            return Duration.ZERO;
        }
        return SpecOptions.duration(spec, KEEP_ALIVE, Duration.ofSeconds(60));
    }

    private static Optional<String> value(TargetSpec spec, String name) {
        return spec.option(name).map(String::trim);
    }
}
