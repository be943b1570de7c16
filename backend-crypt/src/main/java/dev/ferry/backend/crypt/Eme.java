package dev.ferry.backend.crypt;

import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * EME (ECB-Mix-ECB, Halevi and Rogaway 2003), the wide-block mode rclone encrypts names with,
 * over AES-256: deterministic, so one name always encrypts alike, and every output byte depends on
 * every input byte, so names with a common prefix share none. Works on 1 to 128 blocks of 16
 * bytes. Follows github.com/rfjakob/eme, which rclone uses: the tweak is 16 bytes, the
 * multiplication by 2 is in GF(2^128) with the little-endian convention of EME-32.
 */
final class Eme {

    static final int BLOCK = 16;
    static final int MAX_BLOCKS = 128;

    private Eme() {}

    /** Encrypts ({@code encrypt}) or decrypts {@code data}, a whole number of blocks. */
    static byte[] transform(byte[] key, byte[] tweak, byte[] data, boolean encrypt) {
        int m = data.length / BLOCK;
        if (data.length % BLOCK != 0 || m == 0 || m > MAX_BLOCKS) {
            throw new IllegalArgumentException("EME works on 1 to " + MAX_BLOCKS + " blocks of 16 bytes, not "
                    + data.length + " bytes");
        }
        BlockCipher forward = aes(key, true);
        BlockCipher cipher = encrypt ? forward : aes(key, false);

        // L_j = 2^(j+1) * AES-encrypt(0): always the forward direction.
        byte[][] l = new byte[m][];
        byte[] zero = new byte[BLOCK];
        forward.processBlock(zero, 0, zero, 0);
        l[0] = timesTwo(zero);
        for (int j = 1; j < m; j++) {
            l[j] = timesTwo(l[j - 1]);
        }

        byte[] c = new byte[data.length];
        byte[] pp = new byte[BLOCK];
        for (int j = 0; j < m; j++) {
            xor(pp, 0, data, j * BLOCK, l[j]);
            cipher.processBlock(pp, 0, c, j * BLOCK);
        }

        byte[] mp = new byte[BLOCK];
        xor(mp, 0, c, 0, tweak);
        for (int j = 1; j < m; j++) {
            xorInto(mp, c, j * BLOCK);
        }
        byte[] mc = new byte[BLOCK];
        cipher.processBlock(mp, 0, mc, 0);
        byte[] mm = new byte[BLOCK];
        xor(mm, 0, mp, 0, mc);
        for (int j = 1; j < m; j++) {
            mm = timesTwo(mm);
            for (int i = 0; i < BLOCK; i++) {
                c[j * BLOCK + i] ^= mm[i];
            }
        }
        byte[] first = new byte[BLOCK];
        xor(first, 0, mc, 0, tweak);
        for (int j = 1; j < m; j++) {
            xorInto(first, c, j * BLOCK);
        }
        System.arraycopy(first, 0, c, 0, BLOCK);

        for (int j = 0; j < m; j++) {
            cipher.processBlock(c, j * BLOCK, c, j * BLOCK);
            for (int i = 0; i < BLOCK; i++) {
                c[j * BLOCK + i] ^= l[j][i];
            }
        }
        return c;
    }

    private static BlockCipher aes(byte[] key, boolean encrypt) {
        BlockCipher aes = AESEngine.newInstance();
        aes.init(encrypt, new KeyParameter(key));
        return aes;
    }

    /** Multiplication by 2 in GF(2^128), byte 0 least significant. */
    static byte[] timesTwo(byte[] in) {
        byte[] out = new byte[BLOCK];
        out[0] = (byte) ((in[0] << 1) ^ ((in[15] & 0x80) != 0 ? 0x87 : 0));
        for (int j = 1; j < BLOCK; j++) {
            out[j] = (byte) ((in[j] << 1) | ((in[j - 1] & 0xFF) >>> 7));
        }
        return out;
    }

    private static void xor(byte[] out, int outOff, byte[] a, int aOff, byte[] b) {
        for (int i = 0; i < BLOCK; i++) {
            out[outOff + i] = (byte) (a[aOff + i] ^ b[i]);
        }
    }

    private static void xorInto(byte[] acc, byte[] src, int off) {
        for (int i = 0; i < BLOCK; i++) {
            acc[i] ^= src[off + i];
        }
    }
}
