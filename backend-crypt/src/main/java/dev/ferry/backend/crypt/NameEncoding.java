package dev.ferry.backend.crypt;

import java.util.Base64;
import java.util.Locale;

/**
 * How an encrypted name's bytes become text ({@code filename_encoding}): rclone's three.
 */
enum NameEncoding {

    /** base32hex (RFC 4648), lower case, no padding; decoding ignores case. The default. */
    BASE32 {
        @Override
        String encode(byte[] data) {
            StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
            int acc = 0;
            int bits = 0;
            for (byte b : data) {
                acc = (acc << 8) | (b & 0xFF);
                bits += 8;
                while (bits >= 5) {
                    bits -= 5;
                    out.append(HEX32.charAt((acc >>> bits) & 31));
                }
                acc &= (1 << bits) - 1;
            }
            if (bits > 0) {
                out.append(HEX32.charAt((acc << (5 - bits)) & 31));
            }
            return out.toString();
        }

        @Override
        byte[] decode(String text) {
            if (text.endsWith("=")) {
                throw new IllegalArgumentException("padded base32");
            }
            int rest = text.length() % 8;
            if (rest == 1 || rest == 3 || rest == 6) {
                throw new IllegalArgumentException("not a base32 length: " + text.length());
            }
            byte[] out = new byte[text.length() * 5 / 8];
            int acc = 0;
            int bits = 0;
            int n = 0;
            for (int i = 0; i < text.length(); i++) {
                int v = HEX32.indexOf(Character.toLowerCase(text.charAt(i)));
                if (v < 0 || text.charAt(i) > 'z') {
                    throw new IllegalArgumentException("not base32 at character " + i);
                }
                acc = (acc << 5) | v;
                bits += 5;
                if (bits >= 8) {
                    bits -= 8;
                    if (n < out.length) {
                        out[n++] = (byte) (acc >>> bits);
                    }
                    acc &= (1 << bits) - 1;
                }
            }
            return out;
        }

        @Override
        int maxEncodedBytes(int length) {
            return (length * 8 + 4) / 5;
        }
    },

    /** base64 with the URL alphabet, no padding: shorter names, case-sensitive. */
    BASE64 {
        @Override
        String encode(byte[] data) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(data);
        }

        @Override
        byte[] decode(String text) {
            if (text.indexOf('=') >= 0) {
                throw new IllegalArgumentException("padded base64");
            }
            return Base64.getUrlDecoder().decode(text);
        }

        @Override
        int maxEncodedBytes(int length) {
            return (length * 4 + 2) / 3;
        }
    },

    /** base32768: for stores that limit names in characters, not bytes. */
    BASE32768 {
        @Override
        String encode(byte[] data) {
            return Base32768.encode(data);
        }

        @Override
        byte[] decode(String text) {
            return Base32768.decode(text);
        }

        @Override
        int maxEncodedBytes(int length) {
            return (length * 8 + 14) / 15 * 3; // at most 3 UTF-8 bytes a character
        }
    };

    private static final String HEX32 = "0123456789abcdefghijklmnopqrstuv";

    abstract String encode(byte[] data);

    /** @throws IllegalArgumentException if {@code text} is not in this encoding */
    abstract byte[] decode(String text);

    /** An upper bound of the UTF-8 length of {@code length} bytes encoded. */
    abstract int maxEncodedBytes(int length);

    /** The encoding named as rclone names it. */
    static NameEncoding parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "base32" -> BASE32;
            case "base64" -> BASE64;
            case "base32768" -> BASE32768;
            default -> throw new IllegalArgumentException("unknown filename_encoding '" + name
                    + "': use base32, base64 or base32768");
        };
    }
}
