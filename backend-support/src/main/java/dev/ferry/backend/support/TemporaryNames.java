package dev.ferry.backend.support;

import dev.ferry.api.ResumableWriter;
import dev.ferry.api.SyncPath;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The one convention for the temporary files an atomic write goes through, on every backend:
 * {@code .ferry-<12 random>.<name>.partial}, in the same directory as the final file so the
 * closing rename is atomic. Listings hide such names and sweep stale ones, whichever backend
 * left them.
 */
public final class TemporaryNames {

    /** The longest name most file systems and servers take, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 255;

    private static final String PREFIX = ".ferry-";
    private static final String SUFFIX = ".partial";
    private static final String ASIDE_SUFFIX = ".aside";
    private static final int RANDOM_CHARS = 12;
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final Pattern TEMP_NAME =
            Pattern.compile("\\.ferry-[0-9a-z]{" + RANDOM_CHARS + "}\\..*\\.partial", Pattern.DOTALL);
    private static final Pattern ASIDE_NAME =
            Pattern.compile("\\.ferry-[0-9a-z]{" + RANDOM_CHARS + "}\\..+\\.aside", Pattern.DOTALL);

    private TemporaryNames() {}

    /** A fresh temporary name for a file that will be called {@code finalName}; at most 255 UTF-8 bytes. */
    public static String newName(String finalName) {
        char[] random = new char[RANDOM_CHARS];
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int i = 0; i < random.length; i++) {
            random[i] = ALPHABET[rnd.nextInt(ALPHABET.length)];
        }
        int budget = MAX_NAME_BYTES - PREFIX.length() - RANDOM_CHARS - 1 - SUFFIX.length();
        return PREFIX + new String(random) + '.' + truncateUtf8(finalName, budget) + SUFFIX;
    }

    /**
     * A fresh name to take a user's file {@code finalName} aside under while a conditional write
     * checks it ({@code .ferry-<12 random>.<name>.aside}): hidden from listings like a temporary
     * file, but never swept as one: it holds the user's data, and one a crash left behind is put
     * back ({@link #asideOriginal}).
     */
    public static String newAsideName(String finalName) {
        String temp = newName(finalName);
        String middle = temp.substring(PREFIX.length(), temp.length() - SUFFIX.length());
        int budget = MAX_NAME_BYTES - PREFIX.length() - ASIDE_SUFFIX.length();
        return PREFIX + truncateUtf8(middle, budget) + ASIDE_SUFFIX;
    }

    /** Whether {@code name} is an aside name ({@link #newAsideName}). */
    public static boolean isAside(String name) {
        return name.startsWith(PREFIX) && name.endsWith(ASIDE_SUFFIX) && ASIDE_NAME.matcher(name).matches();
    }

    /** The name the file taken aside under {@code asideName} had (shortened if it was very long). */
    public static String asideOriginal(String asideName) {
        return asideName.substring(PREFIX.length() + RANDOM_CHARS + 1, asideName.length() - ASIDE_SUFFIX.length());
    }

    /** Whether {@code name} is a temporary name of this convention: hidden, and swept when stale. */
    public static boolean isTemporary(String name) {
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX) && TEMP_NAME.matcher(name).matches();
    }

    /**
     * A resumable write that goes through a temporary file beside its final one: the
     * {@link ResumableWriter.PartialWrite#token() token} is {@code <temporary name>/<path>}.
     *
     * @param temporaryName the temporary file's name, in the final file's directory
     * @param path where the file will be
     */
    public record ResumeToken(String temporaryName, SyncPath path) {

        /** Validates. */
        public ResumeToken {
            if (!isTemporary(temporaryName) || path.isRoot()) {
                throw new IllegalArgumentException("not a temporary name beside a file: " + temporaryName);
            }
        }

        /** The token a journal keeps; {@link #parse} reads it back. */
        @Override
        public String toString() {
            return temporaryName + "/" + path;
        }

        /** The token's parts; empty if it is not such a token (another backend's, damaged). */
        public static java.util.Optional<ResumeToken> parse(String token) {
            int slash = token.indexOf('/');
            if (slash <= 0) {
                return java.util.Optional.empty();
            }
            try {
                return java.util.Optional.of(new ResumeToken(token.substring(0, slash), SyncPath.of(token.substring(slash + 1))));
            } catch (IllegalArgumentException e) {
                return java.util.Optional.empty();
            }
        }
    }

    /** The longest prefix of {@code s} that fits in {@code maxBytes} of UTF-8, never splitting a code point. */
    public static String truncateUtf8(String s, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > maxBytes) {
                break;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }
}
