package dev.ferry.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Local directory → S3Proxy (filesystem store, AWS V2/V4 authentication) on a loopback port, the
 * same server for both tools. S3Proxy runs as a separate process from its
 * {@code jar-with-dependencies} in the local Maven repository ({@code $S3PROXY_JAR} overrides;
 * fetch it with {@code mvn dependency:get -Dartifact=org.gaul:s3proxy:2.9.0:jar:jar-with-dependencies}).
 * The store's bucket directory is the destinations' local view. Ferry reads the endpoint and keys
 * from a named remote in its own config file ({@code FERRY_CONFIG}), rclone from its config: no
 * secret appears on a command line.
 */
final class S3Pair implements TargetPair {
    static final String S3PROXY_VERSION = "2.9.0";
    private static final String BUCKET = "bench";
    private static final String ACCESS = "bench-access";
    private static final String SECRET = "bench-secret-" + Long.toHexString(System.nanoTime());

    private final Path work;
    private final Path store;
    private Process server;
    private int port;

    S3Pair(Path work) {
        this.work = work.toAbsolutePath().normalize();
        this.store = this.work.resolve("store");
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public String describe() {
        return "local → S3 (S3Proxy " + S3PROXY_VERSION + ", filesystem store, on 127.0.0.1; both tools against the same server)";
    }

    private static Path jar() {
        String env = System.getenv("S3PROXY_JAR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "gaul", "s3proxy", S3PROXY_VERSION,
                "s3proxy-" + S3PROXY_VERSION + "-jar-with-dependencies.jar");
    }

    @Override
    public void start() throws IOException {
        Path jar = jar();
        if (!Files.isRegularFile(jar)) {
            throw new IOException("the s3 pair needs " + jar + ": mvn dependency:get -Dartifact=org.gaul:s3proxy:"
                    + S3PROXY_VERSION + ":jar:jar-with-dependencies (or set S3PROXY_JAR)");
        }
        Fs.deleteRecursively(work);
        Files.createDirectories(store.resolve(BUCKET));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        String props = String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS,
                "s3proxy.credential=" + SECRET,
                "s3proxy.ignore-unknown-headers=true",
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + store,
                "jclouds.identity=" + ACCESS,
                "jclouds.credential=" + SECRET, "");
        Path propsFile = secretFile("s3proxy.properties", props);
        secretFile("ferry.conf", "[bench-s3]\nurl = s3://" + BUCKET + "\nendpoint = http://127.0.0.1:" + port
                + "\nregion = us-east-1\naccessKey = " + ACCESS + "\nsecretKey = " + SECRET + "\n");
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx1g", "-jar", jar.toString(), "--properties", propsFile.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("s3proxy.out").toFile());
        pb.environment().put("LOG_LEVEL", "warn");
        server = pb.start();
        LoopbackServer.awaitListening(server, port, Duration.ofSeconds(60), work.resolve("s3proxy.out"), "S3Proxy");
    }

    private Path secretFile(String name, String content) throws IOException {
        return Fs.secretFile(work.resolve(name), content);
    }

    @Override
    public Destination destination(String slot) throws IOException {
        Path dir = store.resolve(BUCKET).resolve(slot);
        Files.createDirectories(dir);
        return new Destination("bench-s3:" + slot, "bench-s3:" + BUCKET + "/" + slot, dir);
    }

    @Override
    public String rcloneConfig() {
        return "[bench-s3]\ntype = s3\nprovider = Other\nenv_auth = false\naccess_key_id = " + ACCESS
                + "\nsecret_access_key = " + SECRET + "\nendpoint = http://127.0.0.1:" + port
                + "\nregion = us-east-1\nforce_path_style = true\n";
    }

    @Override
    public Map<String, String> toolEnv() {
        return Map.of("FERRY_CONFIG", work.resolve("ferry.conf").toString());
    }

    @Override
    public boolean downloads() {
        return true;
    }

    @Override
    public boolean hasCpReference() {
        return false;
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            LoopbackServer.stop(server);
            server = null;
        }
    }
}
