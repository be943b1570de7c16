package dev.ferry.backend.crypt;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * The content cipher alone, in memory (no disk, no network): encrypts and decrypts 256 MiB, five
 * times, and prints the median MB/s of each. Run by {@code backend-crypt/bench/cipher.sh}.
 */
public final class CipherThroughput {

    private CipherThroughput() {}

    public static void main(String[] args) throws Exception {
        int size = 256 << 20;
        byte[] plain = new byte[size];
        new java.util.Random(1).nextBytes(plain);
        CryptKeys keys = CryptKeys.derive("bench", "");
        double[] enc = new double[5];
        double[] dec = new double[5];
        byte[] stored = null;
        for (int rep = 0; rep < 5; rep++) {
            Nonce nonce = Nonce.random();
            long t = System.nanoTime();
            // Into an array of the final size: readAllBytes would time its own doubling and copying.
            stored = new byte[(int) ContentFormat.encryptedSize(size)];
            InputStream enc0 = new EncryptingStream(new ByteArrayInputStream(plain), keys.dataKey(), nonce, 0);
            for (int off = 0, n; (n = enc0.read(stored, off, Math.min(1 << 16, stored.length - off))) > 0; ) {
                off += n;
            }
            enc[rep] = size / 1e6 / ((System.nanoTime() - t) / 1e9);
            t = System.nanoTime();
            InputStream in = new DecryptingStream(new ByteArrayInputStream(stored, 32, stored.length - 32),
                    keys.dataKey(), Nonce.of(stored, 8), 0, 0, "bench");
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // drain
            }
            dec[rep] = size / 1e6 / ((System.nanoTime() - t) / 1e9);
        }
        java.util.Arrays.sort(enc);
        java.util.Arrays.sort(dec);
        System.out.printf("encrypt %.0f MB/s, decrypt %.0f MB/s (median of 5 x 256 MiB)%n", enc[2], dec[2]);
    }
}
