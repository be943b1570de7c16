package dev.ferry.backend.crypt;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * rclone's "obscured" passwords ({@code rclone obscure}, and every password in
 * {@code rclone.conf}): AES-CTR under a key published in rclone's source, a random 16-byte IV in
 * front, base64url without padding. It keeps a password from a glance over the shoulder, nothing
 * more; it lets a crypt section be copied from {@code rclone.conf} as it is.
 */
public final class Obscured {

    /** The prefix that marks an option value as obscured: {@code password = obscured:…}. */
    public static final String PREFIX = "obscured:";

    private static final byte[] KEY = {
        (byte) 0x9c, (byte) 0x93, 0x5b, 0x48, 0x73, 0x0a, 0x55, 0x4d,
        0x6b, (byte) 0xfd, 0x7c, 0x63, (byte) 0xc8, (byte) 0x86, (byte) 0xa9, 0x2b,
        (byte) 0xd3, (byte) 0x90, 0x19, (byte) 0x8e, (byte) 0xb8, 0x12, (byte) 0x8a, (byte) 0xfb,
        (byte) 0xf4, (byte) 0xde, 0x16, 0x2b, (byte) 0x8b, (byte) 0x95, (byte) 0xf6, 0x38};

    private Obscured() {}

    /**
     * Reveals an obscured value.
     *
     * @throws IllegalArgumentException (never quoting the value) if it is not one
     */
    public static String reveal(String obscured) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(obscured.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an obscured password is base64url text; this one is not");
        }
        if (raw.length < 16) {
            throw new IllegalArgumentException("an obscured password is at least 16 bytes; this one is shorter");
        }
        byte[] plain = ctr(Arrays.copyOf(raw, 16), Arrays.copyOfRange(raw, 16, raw.length));
        return new String(plain, StandardCharsets.UTF_8);
    }

    /** Obscures a value as {@code rclone obscure} does (random IV). */
    public static String obscure(String plain) {
        byte[] iv = new byte[16];
        new SecureRandom().nextBytes(iv);
        byte[] c = ctr(iv, plain.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[16 + c.length];
        System.arraycopy(iv, 0, out, 0, 16);
        System.arraycopy(c, 0, out, 16, c.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    /** The value itself, or revealed if it starts with {@link #PREFIX}. */
    static String plain(String value) {
        return value.startsWith(PREFIX) ? reveal(value.substring(PREFIX.length())) : value;
    }

    private static byte[] ctr(byte[] iv, byte[] in) {
        SICBlockCipher ctr = new SICBlockCipher(AESEngine.newInstance());
        ctr.init(true, new ParametersWithIV(new KeyParameter(KEY), iv));
        byte[] out = new byte[in.length];
        ctr.processBytes(in, 0, in.length, out, 0);
        return out;
    }
}
