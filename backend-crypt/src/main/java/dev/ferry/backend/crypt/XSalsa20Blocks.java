package dev.ferry.backend.crypt;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Bouncy Castle's XSalsa20 with its key stream applied a 32-bit word at a time. The cipher is
 * Bouncy Castle's: its {@code init} sets the key and derives the HSalsa20 sub-key from the
 * nonce, its {@code salsaCore} makes every 64-byte block of key stream, its counter methods step
 * the block counter. Only the XOR of that key stream onto the message is done here, because
 * {@link XSalsa20Engine#processBytes} does it one byte at a time with a branch per byte, which
 * cost as much as the Salsa20 rounds themselves (bench/results/crypt-cipher-*.md).
 *
 * <p>Used as secretbox uses XSalsa20: the first 32 bytes of the stream key Poly1305, the message
 * is XORed with the stream from byte 32 on. One instance per stream; not thread-safe.
 */
final class XSalsa20Blocks extends XSalsa20Engine {

    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final int WORDS = 16;

    private final KeyParameter key;
    /** The current block of key stream, as Salsa20's sixteen little-endian words. */
    private final int[] block = new int[WORDS];

    XSalsa20Blocks(byte[] key) {
        this.key = new KeyParameter(key);
    }

    /**
     * Starts the stream for {@code nonce} (24 bytes) at block 0, and writes its first 32 bytes, the
     * Poly1305 key, into {@code macKey}.
     */
    void start(byte[] nonce, byte[] macKey) {
        init(true, new ParametersWithIV(key, nonce));
        resetCounter();
        salsaCore(rounds, engineState, block);
        for (int w = 0; w < 8; w++) {
            LE_INT.set(macKey, 4 * w, block[w]);
        }
    }

    /**
     * XORs {@code len} bytes of {@code in} with the stream from byte 32 (right after the Poly1305
     * key) into {@code out}; call once after each {@link #start}. {@code in} and {@code out} may
     * be the same array at the same offset.
     */
    void xor(byte[] in, int inOff, int len, byte[] out, int outOff) {
        int done = 0;
        int w = 8; // block 0's second half: its first half keyed Poly1305
        while (true) {
            if (len - done >= 4 * (WORDS - w)) {
                for (; w < WORDS; w++, done += 4) {
                    LE_INT.set(out, outOff + done, (int) LE_INT.get(in, inOff + done) ^ block[w]);
                }
            } else {
                for (; len - done >= 4; w++, done += 4) {
                    LE_INT.set(out, outOff + done, (int) LE_INT.get(in, inOff + done) ^ block[w]);
                }
                for (int shift = 0; done < len; shift += 8, done++) {
                    out[outOff + done] = (byte) (in[inOff + done] ^ (block[w] >>> shift));
                }
                return;
            }
            if (done == len) {
                return;
            }
            advanceCounter();
            salsaCore(rounds, engineState, block);
            w = 0;
        }
    }
}
