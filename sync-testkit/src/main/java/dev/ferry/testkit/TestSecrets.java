package dev.ferry.testkit;

/**
 * Every password, key and token the tests give Ferry, from one place, each holding
 * {@link #MARKER}. After the suite, CI runs {@link SecretScan} over the build log and the
 * Surefire reports: the marker anywhere there means Ferry printed a secret (a log line, an
 * exception message, a report, JSON output or a {@code toString}). Secrets the tests cannot
 * choose (the SFTP system user's password, keys a server generates) are not here.
 */
public final class TestSecrets {

    /** What no output may ever contain. */
    public static final String MARKER = "FERRYSECRETLEAK";

    public static final String FTP_PASSWORD = secret("ftp");
    public static final String WEBDAV_PASSWORD = secret("dav");
    public static final String S3_ACCESS_KEY = secret("s3-access");
    public static final String S3_SECRET_KEY = secret("s3-secret");
    public static final String CRYPT_PASSWORD = secret("crypt");

    private TestSecrets() {}

    /** A secret for {@code what}: the marker between a readable prefix and a suffix. */
    public static String secret(String what) {
        return what + "-" + MARKER + "-x7";
    }
}
