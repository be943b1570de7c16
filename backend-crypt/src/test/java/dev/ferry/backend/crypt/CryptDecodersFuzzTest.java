package dev.ferry.backend.crypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Fuzzes what a crypt remote reads back from storage it does not control: stored names (every
 * name mode and encoding) and stored content. Contract: a hostile name gives an
 * {@link IllegalArgumentException} saying why or a plaintext that encrypts to a name decrypting
 * to it again; hostile content gives a {@link DecryptionException} and never unauthenticated
 * plaintext; content changed in any one byte is refused.
 */
class CryptDecodersFuzzTest {

    /** The all-zero key (empty password): no scrypt per run, and the cipher is the same code. */
    private static final CryptKeys KEYS = CryptKeys.derive("", "");

    @FuzzTest(maxDuration = "5s")
    void names(@NotNull String stored) {
        for (NameCipher.Mode mode : NameCipher.Mode.values()) {
            for (NameEncoding encoding : NameEncoding.values()) {
                NameCipher cipher = new NameCipher(mode, encoding, true, ".bin", KEYS);
                String plain;
                try {
                    plain = cipher.decryptFileName(stored);
                } catch (IllegalArgumentException e) {
                    assertThat(e.getMessage()).isNotBlank();
                    continue;
                }
                String again;
                try {
                    again = cipher.encryptFileName(plain);
                } catch (IllegalArgumentException e) {
                    continue; // e.g. decrypts to a name the encrypting side refuses: never stored by us
                }
                assertThat(cipher.decryptFileName(again)).as("%s %s %s", mode, encoding, stored).isEqualTo(plain);
            }
        }
    }

    @FuzzTest(maxDuration = "5s")
    void content(byte @NotNull [] data) throws IOException {
        byte[] nonce = new byte[Nonce.SIZE];
        // Arbitrary stored bytes: refused (they were not made with this key), never handed out.
        try (InputStream in = new DecryptingStream(new ByteArrayInputStream(data), KEYS.dataKey(),
                Nonce.of(nonce, 0), 0, 0, "fuzz")) {
            byte[] out = in.readAllBytes();
            assertThat(out).isEmpty(); // only an empty file decrypts without a key
        } catch (DecryptionException expected) {
            assertThat(expected.getMessage()).contains("fuzz");
        }
        // A real file with one byte changed (or cut short by one byte): refused.
        byte[] file = new EncryptingStream(new ByteArrayInputStream(data), KEYS.dataKey(), Nonce.of(nonce, 0), 0)
                .readAllBytes();
        assertThat((long) file.length).isEqualTo(ContentFormat.encryptedSize(data.length));
        byte[] stored = java.util.Arrays.copyOfRange(file, ContentFormat.HEADER_SIZE, file.length); // the chunks
        try (InputStream in = new DecryptingStream(new ByteArrayInputStream(stored), KEYS.dataKey(),
                Nonce.of(nonce, 0), 0, 0, "fuzz")) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        if (stored.length > 0) {
            byte[] changed = stored.clone();
            changed[data.length % changed.length] ^= 1;
            assertThatThrownBy(() -> new DecryptingStream(new ByteArrayInputStream(changed), KEYS.dataKey(),
                    Nonce.of(nonce, 0), 0, 0, "fuzz").readAllBytes()).isInstanceOf(DecryptionException.class);
            byte[] cut = java.util.Arrays.copyOf(stored, stored.length - 1);
            assertThatThrownBy(() -> new DecryptingStream(new ByteArrayInputStream(cut), KEYS.dataKey(),
                    Nonce.of(nonce, 0), 0, 0, "fuzz").readAllBytes()).isInstanceOf(DecryptionException.class);
        }
        assertThat(ContentFormat.decryptedSize(ContentFormat.encryptedSize(data.length))).isEqualTo(data.length);
    }
}
