package dev.ferry.backend.crypt;

/**
 * rclone's {@code filename_encryption = obfuscate}: each character rotated within its class
 * (digits, ASCII letters, Latin-1, each 256-code-point block above) by a distance derived from
 * the name and the name key; the name's own part of the distance is written in front
 * ({@code 53.!!lipps}). Hides names from a casual look only; keeps their length.
 */
final class Obfuscation {

    private static final int QUOTE = '!';

    private Obfuscation() {}

    static String obfuscate(String plain, byte[] nameKey) {
        if (plain.isEmpty()) {
            return "";
        }
        if (!isValidUnicode(plain)) {
            return "!." + plain;
        }
        int dir = 0;
        for (int i = 0; i < plain.length(); ) {
            int r = plain.codePointAt(i);
            dir += r;
            i += Character.charCount(r);
        }
        dir = dir % 256;
        StringBuilder out = new StringBuilder(plain.length() + 4).append(dir).append('.');
        dir += keySum(nameKey);
        for (int i = 0; i < plain.length(); ) {
            int r = plain.codePointAt(i);
            i += Character.charCount(r);
            if (r == QUOTE) {
                out.append("!!");
            } else if (r >= '0' && r <= '9') {
                int d = dir % 9 + 1;
                out.appendCodePoint('0' + (r - '0' + d) % 10);
            } else if (r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
                int d = dir % 25 + 1;
                int pos = r - 'A';
                if (pos >= 26) {
                    pos -= 6;
                }
                pos = (pos + d) % 52;
                if (pos >= 26) {
                    pos += 6;
                }
                out.appendCodePoint('A' + pos);
            } else if (r >= 0xA0 && r <= 0xFF) {
                int d = dir % 95 + 1;
                out.appendCodePoint(0xA0 + (r - 0xA0 + d) % 96);
            } else if (r >= 0x100) {
                int d = dir % 127 + 1;
                int base = r - r % 256;
                int n = base + (r - base + d) % 256;
                if (n >= Character.MIN_SURROGATE && n <= Character.MAX_SURROGATE || n > Character.MAX_CODE_POINT) {
                    out.appendCodePoint(QUOTE).appendCodePoint(r);
                } else {
                    out.appendCodePoint(n);
                }
            } else {
                out.appendCodePoint(r);
            }
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException if {@code text} is not an obfuscated name */
    static String deobfuscate(String text, byte[] nameKey) {
        if (text.isEmpty()) {
            return "";
        }
        int dot = text.indexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("no '.' after the rotation number");
        }
        String num = text.substring(0, dot);
        if (num.equals("!")) {
            return text.substring(dot + 1);
        }
        int dir;
        try {
            dir = Integer.parseInt(num);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("no rotation number before the '.'");
        }
        dir += keySum(nameKey);
        StringBuilder out = new StringBuilder(text.length());
        boolean quoted = false;
        for (int i = dot + 1; i < text.length(); ) {
            int r = text.codePointAt(i);
            i += Character.charCount(r);
            if (quoted) {
                out.appendCodePoint(r);
                quoted = false;
            } else if (r == QUOTE) {
                quoted = true;
            } else if (r >= '0' && r <= '9') {
                int d = dir % 9 + 1;
                int n = r - d;
                out.appendCodePoint(n < '0' ? n + 10 : n);
            } else if (r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
                int d = dir % 25 + 1;
                int pos = r - 'A';
                if (pos >= 26) {
                    pos -= 6;
                }
                pos -= d;
                if (pos < 0) {
                    pos += 52;
                }
                if (pos >= 26) {
                    pos += 6;
                }
                out.appendCodePoint('A' + pos);
            } else if (r >= 0xA0 && r <= 0xFF) {
                int d = dir % 95 + 1;
                int n = r - d;
                out.appendCodePoint(n < 0xA0 ? n + 96 : n);
            } else if (r >= 0x100) {
                int d = dir % 127 + 1;
                int base = r - r % 256;
                int n = r - d;
                out.appendCodePoint(n < base ? n + 256 : n);
            } else {
                out.appendCodePoint(r);
            }
        }
        return out.toString();
    }

    private static int keySum(byte[] nameKey) {
        int sum = 0;
        for (byte b : nameKey) {
            sum += b & 0xFF;
        }
        return sum;
    }

    private static boolean isValidUnicode(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
