package dev.ferry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code --crypt}: any pair with its destinations wrapped in rclone's crypt format, the same
 * password and default name encryption for both tools. Each destination is its own crypt remote
 * over the inner pair's destination, so the stored tree sits where the inner pair has it: Ferry
 * gets a named remote {@code [bench-crypt-SLOT] url = crypt:INNER} in its config file, rclone the
 * crypt remote {@code bench-crypt} pointed at the inner destination by a connection string. The
 * password reaches neither command line: Ferry reads it from the environment, rclone from its
 * config (obscured). A destination is verified by decrypting it with rclone into a plain copy
 * (not timed); the "no-op leaves files untouched" check looks at the stored ciphertext.
 */
final class CryptPair implements TargetPair {
    private static final String PASSWORD_ENV = "BENCH_CRYPT_PW";
    /** A bench password, not a secret. */
    private static final String PASSWORD = "ferry bench crypt password";

    private final TargetPair inner;
    private final Path work;
    private final Map<String, String> env = new HashMap<>();
    private Path ferryConf;
    private Path rcloneConf;
    private String rcloneSection;

    CryptPair(TargetPair inner, Path work) {
        this.inner = inner;
        this.work = work.toAbsolutePath().normalize();
    }

    @Override
    public String name() {
        return inner.name() + "-crypt";
    }

    @Override
    public String describe() {
        return "through crypt: (rclone's format, standard file names, same password for both tools), "
                + inner.describe();
    }

    @Override
    public void start() throws IOException {
        inner.start();
        Fs.deleteRecursively(work);
        Files.createDirectories(work);
        env.putAll(inner.toolEnv());
        String innerFerryConf = env.get("FERRY_CONFIG");
        ferryConf = secretFile("ferry.conf", innerFerryConf == null ? "" : Files.readString(Path.of(innerFerryConf)));
        env.put("FERRY_CONFIG", ferryConf.toString());
        env.put(PASSWORD_ENV, PASSWORD);
        rcloneSection = "[bench-crypt]\ntype = crypt\nremote = " + work.resolve("unused") + "\npassword = "
                + obscure(PASSWORD) + "\n";
        rcloneConf = secretFile("rclone.conf", rcloneConfig());
    }

    @Override
    public Destination destination(String slot) throws IOException {
        Destination d = inner.destination(slot);
        String remote = "bench-crypt-" + slot;
        Files.writeString(ferryConf, "\n[" + remote + "]\nurl = crypt:" + d.ferryUri() + "\npassword = env:"
                + PASSWORD_ENV + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        return new Destination(remote + ":", "bench-crypt,remote=\"" + d.rcloneSpec() + "\":", d.view(), d.maker());
    }

    @Override
    public Path plainView(Destination d) throws IOException {
        Path plain = work.resolve("plain").resolve(d.view().getFileName().toString());
        Fs.deleteRecursively(plain);
        Files.createDirectories(plain);
        ProcessBuilder pb = new ProcessBuilder("rclone", "--config", rcloneConf.toString(), "copy", d.rcloneSpec(),
                plain.toString()).redirectErrorStream(true).redirectOutput(work.resolve("decrypt.log").toFile());
        pb.environment().remove("AWS_CA_BUNDLE");
        run(pb, "rclone copy (decrypting " + d.rcloneSpec() + " to verify it)");
        return plain;
    }

    @Override
    public String rcloneConfig() {
        return inner.rcloneConfig() + rcloneSection;
    }

    @Override
    public boolean downloads() {
        return inner.downloads();
    }

    @Override
    public Map<String, String> toolEnv() {
        return Map.copyOf(env);
    }

    @Override
    public boolean hasCpReference() {
        return false; // cp would copy plaintext: no reference for an encrypting copy
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    private Path secretFile(String name, String content) throws IOException {
        return Fs.secretFile(work.resolve(name), content);
    }

    private static String obscure(String password) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of("rclone", "obscure", "-")).redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().write(password.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        waitFor(p, "rclone obscure");
        return out;
    }

    private static void run(ProcessBuilder pb, String what) throws IOException {
        waitFor(pb.start(), what);
    }

    private static void waitFor(Process p, String what) throws IOException {
        try {
            if (!p.waitFor(1, TimeUnit.HOURS) || p.exitValue() != 0) {
                throw new IOException(what + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " interrupted", e);
        }
    }
}
