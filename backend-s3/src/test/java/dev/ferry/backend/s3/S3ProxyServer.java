package dev.ferry.backend.s3;

import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetSpec;
import dev.ferry.testkit.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy started in-process for the tests of this module: one filesystem-backed and one
 * transient (in-memory) instance per JVM, each on a random 127.0.0.1 port with AWS V2/V4
 * authentication on. Stopped by a shutdown hook. Public for other modules' tests (backend-crypt
 * runs {@code crypt:} over it), through this module's test jar.
 */
public final class S3ProxyServer {

    public static final String ACCESS_KEY = dev.ferry.testkit.TestSecrets.S3_ACCESS_KEY;
    public static final String SECRET_KEY = dev.ferry.testkit.TestSecrets.S3_SECRET_KEY;
    public static final String BUCKET = "ferry";

    private static S3ProxyServer filesystem;
    private static S3ProxyServer transientStore;
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final S3Proxy proxy;
    private final URI endpoint;
    private final Path basedir;
    private final TestCertificates.SelfSigned certificate;

    static {
        System.setProperty("aws.disableEc2Metadata", "true");
        System.setProperty("aws.region", "us-east-1");
    }

    private S3ProxyServer(String provider, TestCertificates.SelfSigned certificate) throws Exception {
        this.certificate = certificate;
        Properties props = new Properties();
        if (provider.equals("filesystem")) {
            basedir = Files.createTempDirectory("ferry-s3proxy-");
            props.setProperty("jclouds.filesystem.basedir", basedir.toString());
        } else {
            basedir = null;
        }
        BlobStoreContext context = ContextBuilder.newBuilder(provider)
                .credentials("identity", "credential")
                .overrides(props)
                .build(BlobStoreContext.class);
        S3Proxy.Builder builder = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true);
        if (certificate == null) {
            builder.endpoint(URI.create("http://127.0.0.1:0"));
        } else {
            builder.secureEndpoint(URI.create("https://127.0.0.1:0"))
                    .keyStore(certificate.keystore().toString(), TestCertificates.STORE_PASSWORD);
        }
        proxy = builder.build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(5);
        }
        endpoint = certificate == null ? URI.create("http://127.0.0.1:" + proxy.getPort())
                : URI.create("https://127.0.0.1:" + proxy.getSecurePort());
        try (S3Client c = S3Target.buildClient(baseOptions())) {
            c.createBucket(b -> b.bucket(BUCKET));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
    }

    /** The filesystem-backed server (directory keys, xattr metadata: the quirks users meet). */
    public static synchronized S3ProxyServer get() {
        if (filesystem == null) {
            filesystem = start("filesystem");
        }
        return filesystem;
    }

    /** The in-memory server: fast for large flat listings. */
    public static synchronized S3ProxyServer inMemory() {
        if (transientStore == null) {
            transientStore = start("transient");
        }
        return transientStore;
    }

    /**
     * An in-memory server of the caller's own on https only, presenting {@code certificate}; its
     * {@link #credentials()} pin the certificate. Stop it with {@link #stop()}.
     */
    public static S3ProxyServer https(TestCertificates.SelfSigned certificate) {
        try {
            return new S3ProxyServer("transient", certificate);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Proxy on https", e);
        }
    }

    private static S3ProxyServer start(String provider) {
        try {
            return new S3ProxyServer(provider, null);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Proxy (" + provider + ")", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Options with the endpoint and credentials. */
    S3TargetOptions baseOptions() {
        try {
            return S3TargetProvider.parseOptions(credentials());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Map<String, String> credentials() {
        Map<String, String> m = new HashMap<>();
        m.put("endpoint", endpoint.toString());
        m.put("accessKey", ACCESS_KEY);
        m.put("secretKey", SECRET_KEY);
        m.put("region", "us-east-1");
        if (certificate != null) {
            m.put("pinnedCertificate", certificate.sha256());
        }
        return m;
    }

    /** A fresh, unused prefix in the test bucket. */
    public static String freshPrefix(String label) {
        return label + "-" + PREFIXES.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
    }

    /** A target at a fresh prefix, with extra options. */
    SyncTarget newTarget(String label, Map<String, String> extra) throws IOException {
        Map<String, String> m = credentials();
        m.putAll(extra);
        return new S3TargetProvider().open(new TargetSpec(URI.create("s3://" + BUCKET + "/" + freshPrefix(label)), m));
    }

    /** A client for looking behind a target's back. */
    public S3Client client() {
        return S3Target.buildClient(baseOptions());
    }

    /** Stops the server (also done at exit). */
    public void stop() {
        try {
            proxy.stop();
        } catch (Exception e) {
            // exiting anyway
        }
        if (basedir != null) {
            try (Stream<Path> walk = Files.walk(basedir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
