package dev.ferry.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A content hash a target may know for its files. Values travel as lowercase hex strings
 * (CRC32 as 8 hex digits, big-endian), whatever the wire format of the server was.
 */
public enum HashAlgorithm {
    /** MD5: S3 single-part ETags, Nextcloud checksums, FTP XMD5. */
    MD5("MD5", 32),
    /** SHA-1: Nextcloud checksums, FTP XSHA1. */
    SHA1("SHA-1", 40),
    /** SHA-256: Syncthing blocks, Emoncms sha256sum, S3 checksums. */
    SHA256("SHA-256", 64),
    /** CRC-32 (IEEE 802.3): FTP XCRC. */
    CRC32("CRC32", 8);

    private final String javaName;
    private final int hexLength;

    HashAlgorithm(String javaName, int hexLength) {
        this.javaName = javaName;
        this.hexLength = hexLength;
    }

    /** Number of hex digits in a value of this algorithm. */
    public int hexLength() {
        return hexLength;
    }

    /** A fresh digest computing this algorithm. */
    public MessageDigest newDigest() {
        if (this == CRC32) {
            return new Crc32Digest();
        }
        try {
            return MessageDigest.getInstance(javaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without " + javaName, e);
        }
    }

    /** Checks and normalizes a hex value of this algorithm (to lowercase). */
    public String normalize(String hex) {
        String h = hex.trim().toLowerCase(Locale.ROOT);
        if (h.length() != hexLength || !h.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("not a " + name() + " hex value: " + hex);
        }
        return h;
    }

    /** Lowercase hex of a digest's bytes. */
    public static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        final char[] digits = "0123456789abcdef".toCharArray();
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = digits[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = digits[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /** Looks an algorithm up by name, ignoring case and dashes ({@code sha-256}, {@code SHA256}). */
    public static Optional<HashAlgorithm> byName(String name) {
        String n = name.replace("-", "").toUpperCase(Locale.ROOT);
        for (HashAlgorithm a : values()) {
            if (a.name().equals(n)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** CRC-32 behind the MessageDigest interface, so every algorithm streams the same way. */
    private static final class Crc32Digest extends MessageDigest {
        private final CRC32 crc = new CRC32();

        Crc32Digest() {
            super("CRC32");
        }

        @Override
        protected void engineUpdate(byte input) {
            crc.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            crc.update(input, offset, len);
        }

        @Override
        protected byte[] engineDigest() {
            long v = crc.getValue();
            crc.reset();
            return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }

        @Override
        protected void engineReset() {
            crc.reset();
        }
    }
}
