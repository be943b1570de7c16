package dev.ferry.backend.s3;

import dev.ferry.api.HashAlgorithm;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The user metadata rclone writes on S3 objects, so a bucket written by Ferry reads right in
 * rclone and the other way round: {@code x-amz-meta-mtime} as decimal Unix seconds with up to
 * nine fractional digits, trailing zeros removed and no dot for whole seconds (ncw/swift's
 * {@code TimeToFloatString}), and {@code x-amz-meta-md5chksum} as the base64 of the binary MD5.
 */
final class RcloneMeta {

    /** The metadata key of the modification time (without the {@code x-amz-meta-} prefix). */
    static final String MTIME = "mtime";
    /** The metadata key of the content MD5 (without the {@code x-amz-meta-} prefix). */
    static final String MD5 = "md5chksum";
    /** The metadata key of the POSIX mode: octal with the file type, as rclone's local backend gives it ({@code 100644}). */
    static final String MODE = "mode";

    private static final Pattern PLAIN_MD5_ETAG = Pattern.compile("\"?[0-9a-fA-F]{32}\"?");

    private RcloneMeta() {}

    /** {@code 1354040105.123456789}, {@code 1600000000.5}, {@code 1600000000}. */
    static String formatTime(Instant t) {
        long secs = t.getEpochSecond();
        int nanos = t.getNano();
        if (nanos == 0) {
            return Long.toString(secs);
        }
        if (secs < 0) {
            // Go's integer division truncates toward zero: -1.25 s is "-1.25", not "-2.75".
            secs += 1;
            nanos = 1_000_000_000 - nanos;
            String frac = stripZeros(String.format(Locale.ROOT, "%09d", nanos));
            return (secs == 0 ? "-0" : Long.toString(secs)) + "." + frac;
        }
        return secs + "." + stripZeros(String.format(Locale.ROOT, "%09d", nanos));
    }

    /**
     * Parses a stored time without going through a double (which would lose the nanoseconds);
     * empty if the value is not a time rclone could have written.
     */
    static Optional<Instant> parseTime(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String s = value.trim();
        try {
            int dot = s.indexOf('.');
            if (dot < 0) {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(s)));
            }
            String whole = s.substring(0, dot);
            String frac = s.substring(dot + 1);
            if (frac.isEmpty() || frac.length() > 9 || !frac.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            boolean negative = whole.startsWith("-");
            long secs = whole.isEmpty() || whole.equals("-") ? 0 : Long.parseLong(whole);
            long nanos = Long.parseLong((frac + "000000000").substring(0, 9));
            return Optional.of(negative ? Instant.ofEpochSecond(secs, -nanos) : Instant.ofEpochSecond(secs, nanos));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    /** A regular file's mode as rclone writes it: {@code 100755}. */
    static String formatMode(int mode) {
        return Integer.toOctalString(0100000 | mode);
    }

    /** The permission bits of a stored mode ({@code 100644}, {@code 0644} or {@code 644}); empty if it is not octal. */
    static java.util.OptionalInt parseMode(String value) {
        if (value == null || value.isBlank() || value.trim().length() > 11) {
            return java.util.OptionalInt.empty();
        }
        try {
            return java.util.OptionalInt.of(Integer.parseInt(value.trim(), 8) & 07777);
        } catch (NumberFormatException e) {
            return java.util.OptionalInt.empty();
        }
    }

    /** base64 of the binary MD5, from lowercase hex. */
    static String md5Base64(String hex) {
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return Base64.getEncoder().encodeToString(b);
    }

    /** Lowercase hex from the base64 of a binary MD5; empty if it is not one. */
    static Optional<String> md5Hex(String base64) {
        if (base64 == null) {
            return Optional.empty();
        }
        try {
            byte[] b = Base64.getDecoder().decode(base64.trim());
            return b.length == 16 ? Optional.of(HashAlgorithm.hex(b)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The MD5 an ETag stands for: only a single-part ETag ({@code "<32 hex>"}) is one; a
     * multipart ETag ({@code "<hex>-N"}) never is.
     */
    static Optional<String> md5OfEtag(String etag) {
        if (etag == null || !PLAIN_MD5_ETAG.matcher(etag).matches()) {
            return Optional.empty();
        }
        return Optional.of(unquote(etag).toLowerCase(Locale.ROOT));
    }

    static String unquote(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static String stripZeros(String frac) {
        int end = frac.length();
        while (end > 0 && frac.charAt(end - 1) == '0') {
            end--;
        }
        return frac.substring(0, end);
    }
}
