package dev.ferry.backend.crypt;

import dev.ferry.api.SyncPath;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Names as rclone's crypt stores them ({@code filename_encryption}, {@code directory_name_encryption},
 * {@code filename_encoding}, {@code suffix}). A file and a directory of one plaintext name may be
 * stored under different names (the {@code .bin} suffix of {@code off}, plain directory names when
 * directory name encryption is off), so every call says which it means. Thread-safe.
 */
final class NameCipher {

    /** {@code filename_encryption}. */
    enum Mode {
        /** EME over AES-256, padded (PKCS#7), then encoded. */
        STANDARD,
        /** Rotated characters: hides nothing from anyone who tries. */
        OBFUSCATE,
        /** Names kept; files get a suffix ({@code .bin}) so foreign files are told apart. */
        OFF;

        static Mode parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "standard" -> STANDARD;
                case "obfuscate" -> OBFUSCATE;
                case "off" -> OFF;
                default -> throw new IllegalArgumentException("unknown filename_encryption '" + name
                        + "': use standard, obfuscate or off");
            };
        }
    }

    private final Mode mode;
    private final NameEncoding encoding;
    private final boolean directoryNames;
    private final String suffix;
    private final byte[] nameKey;
    private final byte[] tweak;

    NameCipher(Mode mode, NameEncoding encoding, boolean directoryNames, String suffix, CryptKeys keys) {
        this.mode = mode;
        this.encoding = encoding;
        this.directoryNames = directoryNames;
        this.suffix = suffix;
        this.nameKey = keys.nameKey();
        this.tweak = keys.nameTweak();
    }

    Mode mode() {
        return mode;
    }

    NameEncoding encoding() {
        return encoding;
    }

    /** The stored name of a file named {@code name}. */
    String encryptFileName(String name) {
        return mode == Mode.OFF ? name + suffix : encryptSegment(name);
    }

    /** The stored name of a directory named {@code name}. */
    String encryptDirectoryName(String name) {
        return mode == Mode.OFF || !directoryNames ? name : encryptSegment(name);
    }

    /** The plaintext name of a stored file. @throws IllegalArgumentException saying why it is not one */
    String decryptFileName(String stored) {
        if (mode == Mode.OFF) {
            if (stored.length() <= suffix.length() || !stored.endsWith(suffix)) {
                throw new IllegalArgumentException("no '" + suffix + "' suffix");
            }
            return stored.substring(0, stored.length() - suffix.length());
        }
        return decryptSegment(stored);
    }

    /** The plaintext name of a stored directory. @throws IllegalArgumentException saying why it is not one */
    String decryptDirectoryName(String stored) {
        return mode == Mode.OFF || !directoryNames ? stored : decryptSegment(stored);
    }

    /** Whether files and directories of one name are stored under one name. */
    boolean filesAndDirectoriesAlike() {
        return mode != Mode.OFF && directoryNames || mode == Mode.OFF && suffix.isEmpty();
    }

    /** The stored path of the directory {@code plain}. */
    SyncPath directoryPath(SyncPath plain) {
        SyncPath out = SyncPath.ROOT;
        for (String s : plain.segments()) {
            out = out.child(encryptDirectoryName(s));
        }
        return out;
    }

    /** The stored path of the file {@code plain}. */
    SyncPath filePath(SyncPath plain) {
        if (plain.isRoot()) {
            return plain;
        }
        return directoryPath(plain.parent()).child(encryptFileName(plain.name()));
    }

    /**
     * The longest plaintext name, in UTF-8 bytes, whose stored name fits in {@code storedLimit}
     * bytes (0: unlimited), for any name: a bound for {@code Capabilities}. Each write checks its
     * own name exactly.
     */
    int maxPlainNameLength(int storedLimit) {
        int limit = storedLimit == 0 ? Integer.MAX_VALUE : storedLimit;
        return switch (mode) {
            case OFF -> storedLimit == 0 ? 0 : Math.max(0, limit - suffix.length());
            case OBFUSCATE -> storedLimit == 0 ? 0 : Math.max(0, (limit - 4) / 2); // "255." and quoted characters
            case STANDARD -> {
                int blocks = Eme.MAX_BLOCKS;
                while (blocks > 0 && encoding.maxEncodedBytes(blocks * Eme.BLOCK) > limit) {
                    blocks--;
                }
                yield Math.max(0, blocks * Eme.BLOCK - 1);
            }
        };
    }

    private String encryptSegment(String name) {
        if (mode == Mode.OBFUSCATE) {
            return Obfuscation.obfuscate(name, nameKey);
        }
        byte[] plain = name.getBytes(StandardCharsets.UTF_8);
        int pad = Eme.BLOCK - plain.length % Eme.BLOCK;
        byte[] padded = Arrays.copyOf(plain, plain.length + pad);
        Arrays.fill(padded, plain.length, padded.length, (byte) pad);
        if (padded.length > Eme.BLOCK * Eme.MAX_BLOCKS) {
            throw new IllegalArgumentException("name too long to encrypt (" + plain.length + " bytes, at most "
                    + (Eme.BLOCK * Eme.MAX_BLOCKS - 1) + ")");
        }
        return encoding.encode(Eme.transform(nameKey, tweak, padded, true));
    }

    private String decryptSegment(String stored) {
        if (mode == Mode.OBFUSCATE) {
            return Obfuscation.deobfuscate(stored, nameKey);
        }
        byte[] raw;
        try {
            raw = encoding.decode(stored);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not " + encoding.name().toLowerCase(Locale.ROOT) + " (" + e.getMessage()
                    + ")");
        }
        if (raw.length == 0 || raw.length % Eme.BLOCK != 0) {
            throw new IllegalArgumentException("not a whole number of cipher blocks");
        }
        if (raw.length > Eme.BLOCK * Eme.MAX_BLOCKS) {
            throw new IllegalArgumentException("too long to be an encrypted name");
        }
        byte[] padded = Eme.transform(nameKey, tweak, raw, false);
        int pad = padded[padded.length - 1] & 0xFF;
        if (pad == 0 || pad > Eme.BLOCK) {
            throw new IllegalArgumentException("bad padding (another password or salt?)");
        }
        for (int i = padded.length - pad; i < padded.length; i++) {
            if ((padded[i] & 0xFF) != pad) {
                throw new IllegalArgumentException("bad padding (another password or salt?)");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(padded, 0, padded.length - pad)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("decrypts to bytes that are not UTF-8 (another password or salt?)");
        }
    }
}
