package dev.ferry.cli;

import dev.ferry.backend.ftp.TestServers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * The servers the CLI's tests (and the docs' command blocks) talk to, each started once per JVM on
 * a free 127.0.0.1 port and stopped by a shutdown hook: S3Proxy (in memory, bucket
 * {@value #BUCKET}), Apache FtpServer, and {@code rclone serve webdav} where rclone is installed.
 */
final class CliServers {

    static final String BUCKET = "ferry-demo";
    static final String S3_ACCESS_KEY = dev.ferry.testkit.TestSecrets.secret("cli-s3-access");
    static final String S3_SECRET_KEY = dev.ferry.testkit.TestSecrets.secret("cli-s3-secret");
    static final String FTP_USER = TestServers.USER;
    static final String FTP_PASSWORD = TestServers.PASSWORD;
    static final String WEBDAV_USER = "ferry";
    static final String WEBDAV_PASSWORD = dev.ferry.testkit.TestSecrets.secret("cli-dav");
    static final Path RCLONE = Path.of("/usr/bin/rclone");

    private static URI s3;
    private static TestServers.Stoppable ftp;
    private static URI webdav;

    static {
        System.setProperty("aws.disableEc2Metadata", "true");
        System.setProperty("aws.region", "us-east-1");
    }

    private CliServers() {}

    /** The S3 endpoint, {@code http://127.0.0.1:PORT}, with bucket {@value #BUCKET}. */
    static synchronized URI s3() throws Exception {
        if (s3 == null) {
            BlobStoreContext context = ContextBuilder.newBuilder("transient")
                    .credentials("identity", "credential").overrides(new Properties()).build(BlobStoreContext.class);
            context.getBlobStore().createContainerInLocation(null, BUCKET);
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(context.getBlobStore())
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, S3_ACCESS_KEY, S3_SECRET_KEY)
                    .ignoreUnknownHeaders(true)
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
                }
                Thread.sleep(5);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    proxy.stop();
                } catch (Exception e) {
                    // exiting anyway
                }
            }));
            s3 = URI.create("http://127.0.0.1:" + proxy.getPort());
        }
        return s3;
    }

    /** The FTP server's {@code 127.0.0.1:PORT}; its user is {@value #FTP_USER}. */
    static synchronized String ftpHostPort() throws Exception {
        if (ftp == null) {
            ftp = TestServers.stoppableApache();
        }
        return "127.0.0.1:" + ftp.server.port();
    }

    /** Where the FTP server keeps its files, to look behind its back. */
    static synchronized Path ftpRoot() throws Exception {
        ftpHostPort();
        return ftp.server.root();
    }

    static boolean hasRclone() {
        return Files.isExecutable(RCLONE);
    }

    /** {@code rclone serve webdav}'s {@code 127.0.0.1:PORT} (the caller checks {@link #hasRclone()}). */
    static synchronized String webdavHostPort() throws Exception {
        if (webdav == null) {
            Path work = Files.createTempDirectory("ferry-cli-webdav");
            Path root = Files.createDirectories(work.resolve("root"));
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder(RCLONE.toString(), "serve", "webdav", root.toString(),
                    "--addr", "127.0.0.1:" + port, "--user", WEBDAV_USER, "--pass", WEBDAV_PASSWORD,
                    "--config", work.resolve("rclone.conf").toString(), "--cache-dir", work.resolve("cache").toString())
                    .redirectErrorStream(true).redirectOutput(work.resolve("rclone.log").toFile());
            Process p = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (true) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException e) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        p.destroyForcibly();
                        throw new IllegalStateException("rclone serve webdav did not start: "
                                + Files.readString(work.resolve("rclone.log")));
                    }
                    Thread.sleep(50);
                }
            }
            webdav = URI.create("http://127.0.0.1:" + port);
        }
        return webdav.getAuthority();
    }
}
