package dev.ferry.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POSIX modes on S3 as rclone keeps them ({@code x-amz-meta-mode}, octal with the file type): the
 * real rclone reads the mode Ferry stored, and Ferry reads the mode rclone stored with
 * {@code --metadata}.
 */
class S3ModesRcloneTest {

    @TempDir
    Path tmp;

    private static String rclone(Path config, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("rclone", "--config", config.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // rclone's AWS SDK refuses a plain-http endpoint when a custom CA bundle is named.
        pb.environment().remove("AWS_CA_BUNDLE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static Path config(Path dir, S3ProxyServer s3) throws Exception {
        Path conf = dir.resolve("rclone.conf");
        Files.writeString(conf, "[s3p]\ntype = s3\nprovider = Other\nenv_auth = false\naccess_key_id = "
                + S3ProxyServer.ACCESS_KEY + "\nsecret_access_key = " + S3ProxyServer.SECRET_KEY + "\nendpoint = "
                + s3.endpoint() + "\nregion = us-east-1\nforce_path_style = true\n");
        return conf;
    }

    @Test
    void rcloneAndFerryReadEachOthersModes() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/rclone")), "rclone is not installed");
        S3ProxyServer s3 = S3ProxyServer.get();
        String prefix = S3ProxyServer.freshPrefix("modes");
        Path conf = config(tmp, s3);
        try (SyncTarget target = new S3TargetProvider().open(new dev.ferry.api.TargetSpec(
                java.net.URI.create("s3://" + S3ProxyServer.BUCKET + "/" + prefix), s3.credentials()))) {
            byte[] data = "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8);
            target.write(SyncPath.of("run.sh"), new ByteArrayInputStream(data), WriteHints.ofSize(data.length).withMode(0755));

            String json = rclone(conf, "lsjson", "-M", "s3p:" + S3ProxyServer.BUCKET + "/" + prefix);
            assertThat(json).contains("\"mode\":\"100755\"");

            // rclone's own upload from a local file with --metadata: Ferry reads the mode back.
            Path local = Files.createDirectories(tmp.resolve("local"));
            Path key = local.resolve("id_ed25519");
            Files.writeString(key, "secret");
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            rclone(conf, "copy", "-M", local.toString(), "s3p:" + S3ProxyServer.BUCKET + "/" + prefix);
            Entry stat = target.stat(SyncPath.of("id_ed25519")).orElseThrow();
            assertThat(stat.mode()).hasValue(0600);
            assertThat(target.stat(SyncPath.of("run.sh")).orElseThrow().mode()).hasValue(0755);
        }
    }
}
