package dev.ferry.backend.crypt;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetSpec;
import dev.ferry.backend.support.SpecOptions;
import java.util.List;

/**
 * The options of {@code crypt:}, named as rclone names them so a crypt section of
 * {@code rclone.conf} reads the same. Immutable; {@link #toString()} hides the passwords.
 *
 * @param password the password (revealed if it was given obscured)
 * @param salt {@code password2}; empty for rclone's built-in salt
 * @param mode {@code filename_encryption}
 * @param encoding {@code filename_encoding}
 * @param directoryNames {@code directory_name_encryption}
 * @param suffix the suffix of file names when names are not encrypted; empty for none
 */
record CryptOptions(String password, String salt, NameCipher.Mode mode, NameEncoding encoding,
        boolean directoryNames, String suffix) {

    static final String PASSWORD = "password";
    static final String PASSWORD2 = "password2";
    static final String FILENAME_ENCRYPTION = "filename_encryption";
    static final String DIRECTORY_NAME_ENCRYPTION = "directory_name_encryption";
    static final String FILENAME_ENCODING = "filename_encoding";
    static final String SUFFIX = "suffix";

    static final List<TargetOption> ALL = List.of(
            TargetOption.secret(PASSWORD, "the password (required); 'obscured:<rclone obscure output>' also works"),
            TargetOption.secret(PASSWORD2, "the salt, rclone's password2 (optional; rclone's built-in salt if empty)"),
            TargetOption.of(FILENAME_ENCRYPTION, "standard (default), obfuscate or off"),
            TargetOption.of(DIRECTORY_NAME_ENCRYPTION, "encrypt directory names too (default true)"),
            TargetOption.of(FILENAME_ENCODING, "base32 (default), base64 or base32768"),
            TargetOption.of(SUFFIX, "file name suffix when filename_encryption is off (default .bin; 'none' for none)"));

    static CryptOptions parse(TargetSpec spec) throws InvalidTargetException {
        SpecOptions.requireKnown(spec, ALL);
        String password = secret(spec, PASSWORD);
        if (password.isEmpty()) {
            throw new InvalidTargetException("crypt: needs a password (option 'password'; for example"
                    + " password = env:FERRY_PW in a named remote, or --dst-opt password=...)");
        }
        String salt = secret(spec, PASSWORD2);
        NameCipher.Mode mode;
        NameEncoding encoding;
        try {
            mode = NameCipher.Mode.parse(spec.option(FILENAME_ENCRYPTION, "standard").strip());
            encoding = NameEncoding.parse(spec.option(FILENAME_ENCODING, "base32").strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException("crypt: " + e.getMessage());
        }
        boolean dirs = SpecOptions.flag(spec, DIRECTORY_NAME_ENCRYPTION, true);
        String suffix = spec.option(SUFFIX, ".bin");
        if (suffix.equalsIgnoreCase("none")) {
            suffix = "";
        }
        if (suffix.contains("/") || suffix.contains("\\") || suffix.indexOf(0) >= 0) {
            throw new InvalidTargetException("crypt: option 'suffix' cannot hold a path separator or NUL");
        }
        return new CryptOptions(password, salt, mode, encoding, dirs, suffix);
    }

    private static String secret(TargetSpec spec, String name) throws InvalidTargetException {
        String value = spec.option(name, "");
        try {
            return Obscured.plain(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException("crypt: option '" + name + "' starts with " + Obscured.PREFIX
                    + " but is not an obscured value: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "CryptOptions[password=***, password2=" + (salt.isEmpty() ? "(default)" : "***") + ", "
                + FILENAME_ENCRYPTION + "=" + mode + ", " + FILENAME_ENCODING + "=" + encoding + ", "
                + DIRECTORY_NAME_ENCRYPTION + "=" + directoryNames + ", suffix=" + suffix + "]";
    }
}
