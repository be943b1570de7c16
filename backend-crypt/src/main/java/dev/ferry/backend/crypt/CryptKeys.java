package dev.ferry.backend.crypt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * The three keys rclone's crypt derives from a password and a salt ({@code password2}): scrypt
 * with N=16384, r=8, p=1 gives 80 bytes, cut into the content key (32), the name key (32, AES-256
 * for EME) and the name tweak (16). An empty salt means rclone's built-in salt. Never printed.
 */
final class CryptKeys {

    /** rclone's salt when {@code password2} is empty. */
    private static final byte[] DEFAULT_SALT = {
        (byte) 0xA8, 0x0D, (byte) 0xF4, 0x3A, (byte) 0x8F, (byte) 0xBD, 0x03, 0x08,
        (byte) 0xA7, (byte) 0xCA, (byte) 0xB8, 0x3E, 0x58, 0x1F, (byte) 0x86, (byte) 0xB1};

    private final byte[] dataKey;
    private final byte[] nameKey;
    private final byte[] nameTweak;

    private CryptKeys(byte[] material) {
        this.dataKey = Arrays.copyOfRange(material, 0, 32);
        this.nameKey = Arrays.copyOfRange(material, 32, 64);
        this.nameTweak = Arrays.copyOfRange(material, 64, 80);
    }

    /**
     * Derives the keys as rclone does. An empty password gives all-zero keys (rclone's test
     * setting, never accepted from a user: the wrapper requires a password).
     */
    static CryptKeys derive(String password, String salt) {
        byte[] saltBytes = salt == null || salt.isEmpty() ? DEFAULT_SALT : salt.getBytes(StandardCharsets.UTF_8);
        if (password == null || password.isEmpty()) {
            return new CryptKeys(new byte[80]);
        }
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        try {
            return new CryptKeys(SCrypt.generate(pw, saltBytes, 16384, 8, 1, 80));
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    byte[] dataKey() {
        return dataKey;
    }

    byte[] nameKey() {
        return nameKey;
    }

    byte[] nameTweak() {
        return nameTweak;
    }

    /** Whether both derive from the same password and salt (for store-side copies between two wrappers). */
    boolean sameAs(CryptKeys other) {
        return java.security.MessageDigest.isEqual(dataKey, other.dataKey)
                && java.security.MessageDigest.isEqual(nameKey, other.nameKey)
                && java.security.MessageDigest.isEqual(nameTweak, other.nameTweak);
    }

    @Override
    public String toString() {
        return "CryptKeys[***]";
    }
}
