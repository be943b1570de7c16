package dev.ferry.backend.crypt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.Listings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interop with the installed rclone, both ways, for every name mode: what Ferry encrypted is
 * listed and decrypted by {@code rclone copy} from a crypt remote with the same password and
 * salt, and what rclone encrypted is listed and read by Ferry. Names cover Unicode, spaces and
 * nesting; sizes sit around the 64 KiB chunk edge.
 */
class RcloneInteropTest {

    private static final String PASSWORD = dev.ferry.testkit.TestSecrets.CRYPT_PASSWORD;
    private static final String SALT = dev.ferry.testkit.TestSecrets.secret("interop salt");

    /** Plaintext tree: path -> content. */
    private static final Map<String, byte[]> TREE = new LinkedHashMap<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void tree() {
        Random r = new Random(16);
        for (Object[] f : new Object[][] {
            {"empty.txt", 0}, {"one byte", 1}, {"chunk/exactly 64KiB.bin", 65536},
            {"chunk/one more.bin", 65537}, {"Ünïcödé 日本語/photo 2024.jpg", 200_000},
            {"deep/a/b/c/d/notes.md", 4096}, {"!quote 0123 Zz.txt", 10}}) {
            byte[] b = new byte[(Integer) f[1]];
            r.nextBytes(b);
            TREE.put((String) f[0], b);
        }
    }

    /** The rclone config lines and Ferry options of each mode under test. */
    private static Map<String, String> mode(String name) {
        return switch (name) {
            case "standard-base32" -> Map.of();
            case "standard-base64" -> Map.of("filename_encoding", "base64");
            case "standard-base32768" -> Map.of("filename_encoding", "base32768");
            case "standard-plain-directories" -> Map.of("directory_name_encryption", "false");
            case "obfuscate" -> Map.of("filename_encryption", "obfuscate");
            case "off" -> Map.of("filename_encryption", "off");
            default -> throw new IllegalArgumentException(name);
        };
    }

    private Rclone rclone(Path store, Map<String, String> mode, String salt) throws Exception {
        StringBuilder conf = new StringBuilder("[vault]\ntype = crypt\nremote = ").append(store).append('\n')
                .append("password = ").append(Rclone.obscure(PASSWORD)).append('\n');
        if (!salt.isEmpty()) {
            conf.append("password2 = ").append(Rclone.obscure(salt)).append('\n');
        }
        mode.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
        Path file = tmp.resolve("rclone.conf");
        Files.writeString(file, conf);
        return new Rclone(file);
    }

    private SyncTarget ferry(Path store, Map<String, String> mode, String salt) throws IOException {
        Map<String, String> options = new HashMap<>(mode);
        options.put("password", PASSWORD);
        if (!salt.isEmpty()) {
            options.put("password2", salt);
        }
        return SyncTargets.load().open("crypt:" + store, options);
    }

    @ParameterizedTest
    @ValueSource(strings = {"standard-base32", "standard-base64", "standard-base32768", "standard-plain-directories",
        "obfuscate", "off"})
    void rcloneDecryptsWhatFerryEncrypted(String modeName) throws Exception {
        Rclone.assumeInstalled();
        Path store = Files.createDirectories(tmp.resolve("store"));
        try (SyncTarget vault = ferry(store, mode(modeName), SALT)) {
            for (Map.Entry<String, byte[]> f : TREE.entrySet()) {
                vault.write(SyncPath.of(f.getKey()), new ByteArrayInputStream(f.getValue()),
                        WriteHints.ofSize(f.getValue().length));
            }
        }
        Path out = tmp.resolve("out");
        rclone(store, mode(modeName), SALT).run("copy", "vault:", out.toString());
        assertThat(tree(out)).containsOnlyKeys(TREE.keySet());
        TREE.forEach((p, b) -> assertThat(read(out.resolve(p))).as(p).isEqualTo(b));
    }

    @ParameterizedTest
    @ValueSource(strings = {"standard-base32", "standard-base64", "standard-base32768", "standard-plain-directories",
        "obfuscate", "off"})
    void ferryDecryptsWhatRcloneEncrypted(String modeName) throws Exception {
        Rclone.assumeInstalled();
        Path src = tmp.resolve("src");
        for (Map.Entry<String, byte[]> f : TREE.entrySet()) {
            Files.createDirectories(src.resolve(f.getKey()).getParent() == null ? src : src.resolve(f.getKey()).getParent());
            Files.write(src.resolve(f.getKey()), f.getValue());
        }
        Path store = Files.createDirectories(tmp.resolve("store"));
        rclone(store, mode(modeName), SALT).run("copy", src.toString(), "vault:");
        try (SyncTarget vault = ferry(store, mode(modeName), SALT)) {
            Map<String, Entry> listed = new HashMap<>();
            collect(vault, SyncPath.ROOT, listed);
            assertThat(listed).containsOnlyKeys(TREE.keySet());
            for (Map.Entry<String, byte[]> f : TREE.entrySet()) {
                assertThat(listed.get(f.getKey()).size()).as("size of %s from the listing", f.getKey())
                        .isEqualTo(f.getValue().length);
                try (InputStream in = vault.open(SyncPath.of(f.getKey()), 0)) {
                    assertThat(in.readAllBytes()).as(f.getKey()).isEqualTo(f.getValue());
                }
            }
        }
    }

    @Test
    void rclonesDefaultSaltAndObscuredPasswordsWork() throws Exception {
        Rclone.assumeInstalled();
        Path store = Files.createDirectories(tmp.resolve("store"));
        Rclone rclone = rclone(store, Map.of(), "");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("hello.txt"), "hello", UTF_8);
        rclone.run("copy", src.toString(), "vault:");
        // The password exactly as rclone.conf holds it, obscured.
        String obscured = Files.readAllLines(tmp.resolve("rclone.conf")).stream()
                .filter(l -> l.startsWith("password = ")).findFirst().orElseThrow().substring("password = ".length());
        try (SyncTarget vault = SyncTargets.load().open("crypt:" + store,
                Map.of("password", Obscured.PREFIX + obscured))) {
            try (InputStream in = vault.open(SyncPath.of("hello.txt"), 0)) {
                assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("hello");
            }
        }
        assertThat(Obscured.reveal(obscured)).isEqualTo(PASSWORD);
        assertThat(Obscured.reveal(Obscured.obscure("x y z"))).isEqualTo("x y z");
        assertThat(rclone.run("reveal", Obscured.obscure(PASSWORD)).strip()).isEqualTo(PASSWORD);
    }

    @Test
    void rcloneCryptcheckAgreesWithWhatFerryWrote() throws Exception {
        Rclone.assumeInstalled();
        Path store = Files.createDirectories(tmp.resolve("store"));
        Path src = tmp.resolve("src");
        try (SyncTarget vault = ferry(store, Map.of(), SALT)) {
            for (Map.Entry<String, byte[]> f : TREE.entrySet()) {
                vault.write(SyncPath.of(f.getKey()), new ByteArrayInputStream(f.getValue()),
                        WriteHints.ofSize(f.getValue().length));
                Files.createDirectories(src.resolve(f.getKey()).getParent() == null ? src : src.resolve(f.getKey()).getParent());
                Files.write(src.resolve(f.getKey()), f.getValue());
            }
        }
        String out = rclone(store, Map.of(), SALT).run("cryptcheck", src.toString(), "vault:");
        assertThat(out).doesNotContain("ERROR");
    }

    private static void collect(SyncTarget t, SyncPath dir, Map<String, Entry> into) throws IOException {
        for (Entry e : Listings.collect(t, dir).entries()) {
            if (e.isDirectory()) {
                collect(t, e.path(), into);
            } else {
                into.put(e.path().toString(), e);
            }
        }
    }

    private static Map<String, Path> tree(Path root) throws IOException {
        Map<String, Path> out = new HashMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).forEach(p -> out.put(root.relativize(p).toString(), p));
        }
        return out;
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
