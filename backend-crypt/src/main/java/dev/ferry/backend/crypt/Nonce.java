package dev.ferry.backend.crypt;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The 24-byte secretbox nonce of a file: random in its header, then incremented once per chunk,
 * little-endian, as rclone does. Mutable; copy before sharing.
 */
final class Nonce {

    static final int SIZE = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    private Nonce(byte[] bytes) {
        this.bytes = bytes;
    }

    static Nonce random() {
        byte[] b = new byte[SIZE];
        RANDOM.nextBytes(b);
        return new Nonce(b);
    }

    static Nonce of(byte[] source, int offset) {
        return new Nonce(Arrays.copyOfRange(source, offset, offset + SIZE));
    }

    Nonce copy() {
        return new Nonce(bytes.clone());
    }

    /** The live bytes (for the cipher; do not change). */
    byte[] bytes() {
        return bytes;
    }

    /** Adds one, carrying upwards from byte 0. */
    void increment() {
        carryFrom(0);
    }

    /** Adds {@code chunks} to the low 8 bytes, carrying into the rest: the nonce of chunk {@code n}. */
    void add(long chunks) {
        int carry = 0;
        long x = chunks;
        for (int i = 0; i < 8; i++) {
            carry += (bytes[i] & 0xFF) + (int) (x & 0xFF);
            x >>>= 8;
            bytes[i] = (byte) carry;
            carry >>>= 8;
        }
        if (carry != 0) {
            carryFrom(8);
        }
    }

    private void carryFrom(int i) {
        for (; i < SIZE; i++) {
            bytes[i]++;
            if (bytes[i] != 0) {
                break;
            }
        }
    }
}
