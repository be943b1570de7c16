package dev.ferry.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The API token's file: read if it exists (it must be the owner's alone), else created with a
 * fresh random token, owner-only (0600) from its first byte.
 */
public final class TokenFile {

    /**
     * A token and where it came from.
     *
     * @param generated whether it was made just now (the one time it is shown)
     */
    public record Token(String value, Path file, boolean generated) {
        @Override
        public String toString() {
            return "Token[" + file + "]"; // never the value
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenFile() {}

    /**
     * Reads the token at {@code file}, or creates one there.
     *
     * @throws IOException if it cannot be read or written, is readable by others, or is too short
     */
    public static Token load(Path file) throws IOException {
        Path f = file.toAbsolutePath();
        if (!Files.exists(f)) {
            Path dir = f.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            byte[] raw = new byte[32];
            RANDOM.nextBytes(raw);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            try {
                Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(f, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
                return new Token(token, f, true);
            } catch (FileAlreadyExistsException e) {
                // Another process made it between the two calls: read theirs.
            }
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
            for (PosixFilePermission p : perms) {
                if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                    throw new IOException("token file " + f + " can be read by others (" + PosixFilePermissions.toString(perms)
                            + "); make it the owner's alone: chmod 600 " + f);
                }
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to check.
        }
        String token = Files.readString(f, StandardCharsets.UTF_8).strip();
        if (token.length() < 16) {
            throw new IOException("token file " + f + " holds no token of at least 16 characters");
        }
        return new Token(token, f, false);
    }
}
