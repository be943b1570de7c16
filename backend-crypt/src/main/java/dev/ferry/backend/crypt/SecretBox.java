package dev.ferry.backend.crypt;

import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * NaCl's secretbox (XSalsa20 and Poly1305) from Bouncy Castle's primitives: the first 32 bytes of
 * the XSalsa20 key stream key Poly1305, the rest encrypts; the 16-byte tag goes in front. One
 * instance per stream: it is not thread-safe.
 */
final class SecretBox {

    /** Bytes the tag adds to each sealed message. */
    static final int OVERHEAD = 16;

    private final XSalsa20Blocks stream;
    private final Poly1305 mac = new Poly1305();
    private final byte[] macKey = new byte[32];
    private final byte[] tag = new byte[OVERHEAD];

    SecretBox(byte[] key) {
        this.stream = new XSalsa20Blocks(key);
    }

    /** Seals {@code len} bytes of {@code in} into {@code out} (tag then ciphertext: {@code len + 16} bytes). */
    void seal(byte[] nonce, byte[] in, int inOff, int len, byte[] out, int outOff) {
        start(nonce);
        stream.xor(in, inOff, len, out, outOff + OVERHEAD);
        mac.update(out, outOff + OVERHEAD, len);
        mac.doFinal(out, outOff);
    }

    /**
     * Opens a sealed message of {@code len} bytes (tag included) into {@code out}; writes nothing
     * and returns false if the tag does not authenticate it.
     */
    boolean open(byte[] nonce, byte[] in, int inOff, int len, byte[] out, int outOff) {
        if (len < OVERHEAD) {
            return false;
        }
        start(nonce);
        mac.update(in, inOff + OVERHEAD, len - OVERHEAD);
        mac.doFinal(tag, 0);
        int diff = 0;
        for (int i = 0; i < OVERHEAD; i++) {
            diff |= tag[i] ^ in[inOff + i];
        }
        if (diff != 0) {
            return false;
        }
        stream.xor(in, inOff + OVERHEAD, len - OVERHEAD, out, outOff);
        return true;
    }

    private void start(byte[] nonce) {
        stream.start(nonce, macKey);
        mac.init(new KeyParameter(macKey));
    }
}
