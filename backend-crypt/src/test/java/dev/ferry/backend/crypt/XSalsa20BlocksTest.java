package dev.ferry.backend.crypt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time XOR gives byte for byte what Bouncy Castle's own {@code processBytes} gives:
 * the Poly1305 key and the key stream from byte 32, for every length up to a few blocks past
 * any alignment, around a whole chunk, at odd offsets, and in place.
 */
class XSalsa20BlocksTest {

    private static byte[] reference(byte[] key, byte[] nonce, byte[] in, int inOff, int len, byte[] macKey) {
        XSalsa20Engine bc = new XSalsa20Engine();
        bc.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        bc.processBytes(new byte[32], 0, 32, macKey, 0);
        byte[] out = new byte[len];
        bc.processBytes(in, inOff, len, out, 0);
        return out;
    }

    @Test
    void sameStreamAsBouncyCastleForEveryLengthAndOffset() {
        Random random = new Random(16);
        byte[] key = new byte[32];
        byte[] nonce = new byte[24];
        int[] lengths = new int[300 + 8];
        for (int i = 0; i < 300; i++) {
            lengths[i] = i;
        }
        int[] large = {65_535, 65_536, 65_537, 65_536 - 32, 65_536 + 31, 1 << 20, 4093, 4099};
        System.arraycopy(large, 0, lengths, 300, large.length);
        for (int len : lengths) {
            random.nextBytes(key);
            random.nextBytes(nonce);
            int inOff = random.nextInt(7);
            int outOff = random.nextInt(7);
            byte[] in = new byte[inOff + len];
            random.nextBytes(in);
            byte[] wantMac = new byte[32];
            byte[] want = reference(key, nonce, in, inOff, len, wantMac);

            XSalsa20Blocks blocks = new XSalsa20Blocks(key);
            byte[] gotMac = new byte[32];
            byte[] got = new byte[outOff + len + 3];
            blocks.start(nonce, gotMac);
            blocks.xor(in, inOff, len, got, outOff);
            assertThat(gotMac).as("Poly1305 key, length %d", len).isEqualTo(wantMac);
            assertThat(Arrays.copyOfRange(got, outOff, outOff + len)).as("stream, length %d", len).isEqualTo(want);
            assertThat(Arrays.copyOfRange(got, outOff + len, got.length)).as("nothing past the end").containsOnly(0);

            // Restarted on the same instance, in place: the same bytes again.
            blocks.start(nonce, gotMac);
            blocks.xor(in, inOff, len, in, inOff);
            assertThat(Arrays.copyOfRange(in, inOff, inOff + len)).as("in place, length %d", len).isEqualTo(want);
        }
    }
}
