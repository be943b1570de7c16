package dev.ferry.backend.s3;

import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetSpec;
import dev.ferry.testkit.SyncTargetContract;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MinIOContainer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The shared contract against MinIO, the official image in a container, where a Docker engine
 * runs. Without one the class is skipped before Testcontainers is touched, so a Docker-less
 * build neither waits for its probing nor prints its stack traces; S3Proxy covers the backend
 * there.
 */
@EnabledIf(value = "dev.ferry.backend.s3.S3MinioContractTest#dockerAvailable",
        disabledReason = "no Docker engine (DOCKER_HOST unset and no /var/run/docker.sock): MinIO contract skipped")
class S3MinioContractTest extends SyncTargetContract {

    /** A release tag, not {@code latest}: the run must be repeatable. */
    private static final String IMAGE = "minio/minio:RELEASE.2023-09-04T19-57-37Z";

    private static MinIOContainer minio;
    private static Map<String, String> options;

    /** A cheap look for an engine first; only then Testcontainers' own (slower, noisier) check. */
    static boolean dockerAvailable() {
        String host = System.getenv("DOCKER_HOST");
        if ((host == null || host.isBlank()) && !Files.exists(Path.of("/var/run/docker.sock"))) {
            return false;
        }
        return DockerClientFactory.instance().isDockerAvailable();
    }

    @BeforeAll
    static void startMinio() {
        minio = new MinIOContainer(IMAGE);
        minio.start();
        options = Map.of("endpoint", minio.getS3URL(), "accessKey", minio.getUserName(),
                "secretKey", minio.getPassword(), "region", "us-east-1");
        try (S3Client c = S3Target.buildClient(S3TargetProvider.parseOptions(options))) {
            c.createBucket(b -> b.bucket(S3ProxyServer.BUCKET));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopMinio() {
        if (minio != null) {
            minio.stop();
        }
    }

    @Override
    protected SyncTarget newTarget() throws Exception {
        return new S3TargetProvider().open(new TargetSpec(
                URI.create("s3://" + S3ProxyServer.BUCKET + "/" + S3ProxyServer.freshPrefix("minio")), options));
    }

    @Override
    protected boolean supportsEmptyDirectories() {
        return false;
    }
}
