package dev.ferry.backend.crypt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.backend.s3.S3ProxyServer;
import dev.ferry.core.CompareMode;
import dev.ferry.core.Sync;
import dev.ferry.core.SyncAction;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncPlan;
import dev.ferry.core.SyncTargets;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crypt:} over S3 (S3Proxy) against the real rclone: rclone decrypts what Ferry wrote
 * through its own S3 remote and a crypt remote over it; and Ferry's content check (rclone's
 * {@code cryptcheck} idea, {@link CryptVerifier}) agrees with {@code rclone cryptcheck} on the
 * same data, by the store's MD5 over S3 and by streaming the ciphertext over a local folder, and
 * finds a file changed at the same size and time.
 */
class CryptOverS3RcloneTest {

    private static final String PASSWORD = dev.ferry.testkit.TestSecrets.secret("over s3 with rclone");
    private static final String SALT = dev.ferry.testkit.TestSecrets.secret("s3 salt");

    @TempDir
    Path tmp;

    private final Map<String, byte[]> tree = new LinkedHashMap<>();
    private Path src;

    @BeforeEach
    void tree() throws Exception {
        Random r = new Random(17);
        for (Object[] f : new Object[][] {{"empty", 0}, {"a/one chunk.bin", 65536}, {"a/b/over.bin", 65536 * 2 + 7},
            {"Ünïcödé.txt", 100}}) {
            byte[] b = new byte[(Integer) f[1]];
            r.nextBytes(b);
            tree.put((String) f[0], b);
        }
        src = tmp.resolve("src");
        for (Map.Entry<String, byte[]> f : tree.entrySet()) {
            Path p = src.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
    }

    private Rclone rclone(String remote, boolean s3) throws Exception {
        S3ProxyServer server = S3ProxyServer.get();
        String conf = (s3 ? "[s3p]\ntype = s3\nprovider = Other\nenv_auth = false\naccess_key_id = "
                + S3ProxyServer.ACCESS_KEY + "\nsecret_access_key = " + S3ProxyServer.SECRET_KEY + "\nendpoint = "
                + server.endpoint() + "\nregion = us-east-1\nforce_path_style = true\n" : "")
                + "[vault]\ntype = crypt\nremote = " + remote + "\npassword = " + Rclone.obscure(PASSWORD)
                + "\npassword2 = " + Rclone.obscure(SALT) + "\n";
        Path file = tmp.resolve("rclone.conf");
        Files.writeString(file, conf);
        return new Rclone(file);
    }

    private void write(SyncTarget vault) throws Exception {
        for (Map.Entry<String, byte[]> f : tree.entrySet()) {
            vault.write(SyncPath.of(f.getKey()), new ByteArrayInputStream(f.getValue()),
                    WriteHints.ofSize(f.getValue().length));
        }
    }

    @Test
    void rcloneDecryptsWhatFerryWroteToS3AndBothChecksAgree() throws Exception {
        Rclone.assumeInstalled();
        String prefix = S3ProxyServer.freshPrefix("crypt-rclone");
        Map<String, String> options = Map.of("password", PASSWORD, "password2", SALT);
        try (SyncTarget vault = CryptOverS3RoundTripTest.withS3Remote(prefix).open("crypt:s3-test:", options)) {
            write(vault);
            // The store reports an MD5 of the ciphertext: Ferry's check compares by it, reading headers only.
            Vault v = ((CryptTarget) vault).vault();
            assertThat(v.inner.stat(v.storedFile(SyncPath.of("a/b/over.bin"))).orElseThrow()
                    .hash(dev.ferry.api.HashAlgorithm.MD5)).isPresent();
            Rclone rclone = rclone("s3p:" + S3ProxyServer.BUCKET + "/" + prefix, true);
            Path out = tmp.resolve("out");
            rclone.run("copy", "vault:", out.toString());
            for (Map.Entry<String, byte[]> f : tree.entrySet()) {
                assertThat(Files.readAllBytes(out.resolve(f.getKey()))).as(f.getKey()).isEqualTo(f.getValue());
            }
            checksAgree(vault, rclone);
        }
    }

    @Test
    void checksAgreeOverALocalFolderByStreamingTheCiphertext() throws Exception {
        Rclone.assumeInstalled();
        Path store = Files.createDirectories(tmp.resolve("store"));
        Map<String, String> options = Map.of("password", PASSWORD, "password2", SALT);
        try (SyncTarget vault = SyncTargets.load().open("crypt:" + store, options)) {
            write(vault);
            checksAgree(vault, rclone(store.toString(), false));
        }
    }

    /** Equal trees: no difference for either; one file changed at the same size and time: both see it. */
    private void checksAgree(SyncTarget vault, Rclone rclone) throws Exception {
        assertThat(rclone.status("cryptcheck", src.toString(), "vault:")).as("rclone cryptcheck, equal").isZero();
        assertThat(differences(vault)).as("Ferry's check, equal").isEmpty();

        Path changed = src.resolve("a/b/over.bin");
        FileTime time = Files.getLastModifiedTime(changed);
        byte[] b = Files.readAllBytes(changed);
        b[65536 + 3] ^= 1; // second chunk, same size
        Files.write(changed, b);
        Files.setLastModifiedTime(changed, time);
        assertThat(rclone.status("cryptcheck", src.toString(), "vault:")).as("rclone cryptcheck, changed").isNotZero();
        assertThat(differences(vault)).as("Ferry's check, changed").containsExactly("a/b/over.bin");
    }

    /** What {@code ferry check --checksum} reports as differing: the files a mirror would copy. */
    private List<String> differences(SyncTarget vault) throws Exception {
        try (SyncTarget local = SyncTargets.load().open(src.toString())) {
            SyncPlan plan = Sync.between(local, vault, SyncOptions.builder().mode(SyncMode.MIRROR)
                    .compare(CompareMode.CHECKSUM).build()).dryRun();
            return plan.actions().stream().filter(a -> a instanceof SyncAction.CopyFile)
                    .map(a -> a.path().toString()).toList();
        }
    }
}
