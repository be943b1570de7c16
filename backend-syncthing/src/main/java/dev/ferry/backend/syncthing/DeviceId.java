package dev.ferry.backend.syncthing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Locale;

/**
 * A Syncthing device ID: the SHA-256 of the device's certificate in base32, with a check
 * character after each 13 characters and dashes every 7 ({@code MFZWI3D-BONSGYC-...}). Parsed and
 * checked here, before anything reaches a node, so a mistyped ID is refused with the reason.
 *
 * @param value the canonical form: 8 groups of 7 characters joined by dashes
 */
public record DeviceId(String value) {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /** Validates the canonical form. */
    public DeviceId {
        if (value == null || !value.equals(canonical(value))) {
            throw new IllegalArgumentException("not a canonical device ID (use DeviceId.parse): " + value);
        }
    }

    /**
     * Parses a device ID as Syncthing does: case, dashes and spaces are ignored, and the letters
     * people confuse ({@code 0 1 8}) are read as {@code O I B}; the four check characters must
     * be right. The old 52-character form without check characters is accepted too.
     *
     * @throws IllegalArgumentException naming what is wrong (length, a character, a check)
     */
    public static DeviceId parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a device ID is required");
        }
        return new DeviceId(canonical(text));
    }

    /** Whether {@code text} parses as a device ID. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The ID of the device holding this certificate (its DER form hashed). */
    public static DeviceId of(X509Certificate certificate) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return new DeviceId(withChecks(base32(hash)));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot hash the certificate", e);
        }
    }

    /** The short form Syncthing uses in conflict names and logs: the first 7 characters. */
    public String shortId() {
        return value.substring(0, 7);
    }

    @Override
    public String toString() {
        return value;
    }

    private static String canonical(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.trim().toUpperCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case '-', ' ', '=' -> { }
                case '0' -> b.append('O');
                case '1' -> b.append('I');
                case '8' -> b.append('B');
                default -> {
                    if (ALPHABET.indexOf(c) < 0) {
                        throw new IllegalArgumentException("a device ID has only letters A-Z and digits 2-7, not '" + c + "'");
                    }
                    b.append(c);
                }
            }
        }
        String s = b.toString();
        if (s.length() == 52) {
            return withChecks(s);
        }
        if (s.length() != 56) {
            throw new IllegalArgumentException("a device ID has 56 characters (63 with dashes), not " + s.length());
        }
        StringBuilder bare = new StringBuilder(52);
        for (int g = 0; g < 4; g++) {
            String group = s.substring(g * 14, g * 14 + 13);
            char check = s.charAt(g * 14 + 13);
            if (luhn32(group) != check) {
                throw new IllegalArgumentException("device ID check character " + (g + 1) + " of 4 is wrong (a typo?)");
            }
            bare.append(group);
        }
        return withChecks(bare.toString());
    }

    /** The 52 base32 characters with a check character after each 13, grouped by 7 with dashes. */
    private static String withChecks(String bare) {
        StringBuilder checked = new StringBuilder(56);
        for (int g = 0; g < 4; g++) {
            String group = bare.substring(g * 13, g * 13 + 13);
            checked.append(group).append(luhn32(group));
        }
        StringBuilder out = new StringBuilder(63);
        for (int i = 0; i < 56; i += 7) {
            out.append(i == 0 ? "" : "-").append(checked, i, i + 7);
        }
        return out.toString();
    }

    /** Syncthing's luhn32: not textbook Luhn mod N (left to right, factor starting at 1). */
    static char luhn32(String group) {
        int factor = 1;
        int sum = 0;
        for (int i = 0; i < group.length(); i++) {
            int addend = factor * ALPHABET.indexOf(group.charAt(i));
            factor = factor == 2 ? 1 : 2;
            addend = addend / 32 + addend % 32;
            sum += addend;
        }
        return ALPHABET.charAt((32 - sum % 32) % 32);
    }

    private static String base32(byte[] data) {
        StringBuilder b = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte d : data) {
            buffer = (buffer << 8) | (d & 0xff);
            bits += 8;
            while (bits >= 5) {
                b.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            b.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return b.toString();
    }
}
