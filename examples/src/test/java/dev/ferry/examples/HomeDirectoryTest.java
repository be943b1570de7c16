package dev.ferry.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HomeDirectory walk-through against a local folder and against a real S3 API (S3Proxy). */
class HomeDirectoryTest {

    @TempDir
    Path tmp;

    private String run(String root, Path config) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        Path fresh;
        try {
            fresh = HomeDirectory.run(root, config, tmp.resolve("work"));
        } finally {
            System.setOut(old);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.resolve("bin/backup.sh"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.resolve(".ssh/id_ed25519"))))
                .isEqualTo("rw-------");
        assertThat(fresh.resolve("notes.txt")).hasContent("remember the milk");
        return out.toString();
    }

    @Test
    void pairsPushPullWithModesAndPurgeOnALocalRoot() throws Exception {
        Path root = tmp.resolve("bucket/sync/me");
        String out = run(root.toString(), tmp.resolve("ferry.conf"));
        assertThat(out).contains("default: " + tmp.resolve("work/home") + " <-> " + root + "/default")
                .contains("push default: 3 files").contains("pull default: 3 files").contains("purge data: 1 files deleted");
        assertThat(root.resolve("default/notes.txt")).doesNotExist();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                tmp.resolve("work/fresh-home/.ssh")))).isEqualTo("rwx------");
    }

    @Test
    void pairsPushPullWithModesAndPurgeOnS3() throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("id", "cred")
                .overrides(new Properties()).build(BlobStoreContext.class);
        context.getBlobStore().createContainerInLocation(null, "bucket");
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret-not-logged").build();
        proxy.start();
        try {
            while (!"STARTED".equals(proxy.getState())) {
                Thread.sleep(5);
            }
            Path config = tmp.resolve("ferry.conf");
            Files.writeString(config, "[archive]\nurl = s3://bucket\nendpoint = http://127.0.0.1:" + proxy.getPort()
                    + "\naccessKey = access\nsecretKey = secret-not-logged\nregion = us-east-1\n");
            String out = run("archive:sync/me", config);
            assertThat(out).contains("push default: 3 files").contains("pull default: 3 files")
                    .contains("purge default: 3 files deleted").doesNotContain("secret-not-logged");
            assertThat(context.getBlobStore().list("bucket", org.jclouds.blobstore.options.ListContainerOptions
                    .Builder.recursive())).isEmpty();
        } finally {
            proxy.stop();
            context.close();
        }
    }
}
