package dev.ferry.backend.crypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The installed {@code rclone}, run with a config file of its own in a temporary folder, for
 * interop tests. Tests that need it are skipped, saying why, when it is not installed (CI
 * installs it).
 */
final class Rclone {

    private final Path config;

    Rclone(Path config) {
        this.config = config;
    }

    static void assumeInstalled() {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            found |= Files.isExecutable(Path.of(dir, "rclone"));
        }
        assumeTrue(found, "rclone is not installed (apt-get install rclone): interop with rclone not tested");
    }

    /** Obscures a password with {@code rclone obscure}. */
    static String obscure(String password) throws IOException, InterruptedException {
        return new Rclone(null).run("obscure", password).strip();
    }

    /** Runs rclone with this config; returns its exit code. */
    int status(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("rclone", "--config", config.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("AWS_CA_BUNDLE");
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("rclone finished in 2 minutes").isTrue();
        return p.exitValue();
    }

    /** Runs rclone with this config; returns its standard output, fails the test on an exit code other than 0. */
    String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("rclone"));
        if (config != null) {
            cmd.add("--config");
            cmd.add(config.toString());
        }
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("rclone", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
            // rclone's AWS SDK refuses a plain-http endpoint (S3Proxy) when a custom CA bundle is named.
            pb.environment().remove("AWS_CA_BUNDLE");
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("rclone finished in 2 minutes").isTrue();
            assertThat(p.exitValue()).as("rclone %s: %s", String.join(" ", args), Files.readString(err)).isZero();
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
