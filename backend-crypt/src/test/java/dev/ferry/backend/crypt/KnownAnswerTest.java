package dev.ferry.backend.crypt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Known answers. Those with the all-zero keys (empty password) are rclone's own published vectors
 * (backend/crypt/cipher_test.go); those with a password were produced by the installed rclone
 * 1.60 ({@code rclone cryptdecode --reverse}, {@code rclone copy} to a crypt remote) with
 * password {@code ferry-kat} and salt {@code pepper}.
 */
class KnownAnswerTest {

    private static final CryptKeys ZERO = CryptKeys.derive("", "");
    private static final CryptKeys KAT = CryptKeys.derive("ferry-kat", "pepper");
    private static final CryptKeys KAT_DEFAULT_SALT = CryptKeys.derive("ferry-kat", "");

    private static NameCipher standard(CryptKeys keys, NameEncoding enc) {
        return new NameCipher(NameCipher.Mode.STANDARD, enc, true, ".bin", keys);
    }

    @ParameterizedTest
    @CsvSource({
        "1, 64", "12, 64p0", "123, 64p36", "1234, 64p36d0", "12345, 64p36d1l", "123456, 64p36d1l6o",
        "1234567, 64p36d1l6org", "12345678, 64p36d1l6orjg", "1234567890123456, 64p36d1l6orjge9g64p36d1l6o"})
    void base32hexLowerCaseUnpadded(String in, String expected) {
        assertThat(NameEncoding.BASE32.encode(in.getBytes(UTF_8))).isEqualTo(expected);
        assertThat(new String(NameEncoding.BASE32.decode(expected), UTF_8)).isEqualTo(in);
        assertThat(new String(NameEncoding.BASE32.decode(expected.toUpperCase()), UTF_8)).isEqualTo(in);
    }

    @ParameterizedTest
    @CsvSource({"1, MQ", "12, MTI", "123, MTIz", "1234, MTIzNA", "1234567890123456, MTIzNDU2Nzg5MDEyMzQ1Ng"})
    void base64UrlUnpadded(String in, String expected) {
        assertThat(NameEncoding.BASE64.encode(in.getBytes(UTF_8))).isEqualTo(expected);
        assertThat(new String(NameEncoding.BASE64.decode(expected), UTF_8)).isEqualTo(in);
    }

    @ParameterizedTest
    @CsvSource({
        "1, \u3f3f", "12, \u3ed9\u025f", "123, \u3ed9\u2cbf", "1234, \u3ed9\u2c8d\u019f",
        "12345, \u3ed9\u2c8d\u235f", "1234567890123456, \u3ed9\u2c8d\u2346\u89d3\u6829\u6724\u8ac6\u5a95\u41bf"})
    void base32768(String in, String expected) {
        assertThat(Base32768.encode(in.getBytes(UTF_8))).isEqualTo(expected);
        assertThat(new String(Base32768.decode(expected), UTF_8)).isEqualTo(in);
    }

    @Test
    void badEncodingsAreRefused() {
        assertThatThrownBy(() -> NameEncoding.BASE32.decode("64=")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NameEncoding.BASE32.decode("!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NameEncoding.BASE32.decode("hello=hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NameEncoding.BASE64.decode("64=")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Base32768.decode("\u3f3fc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Base32768.decode("!")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "1, p0e52nreeaj0a5ea7s64m4j72s",
        "12, l42g6771hnv3an9cgc8cr2n1ng",
        "123, qgm4avr35m5loi1th53ato71v0",
        "12345678901, h168vvrgb53qnrtvvmb378qrcs",
        "123456789012345, eeam3li4rnommi3a762h5n7meg",
        "1234567890123456, mijbj0frqf6ms7frcr6bd9h0env53jv96pjaaoirk7forcgpt70g"})
    void emeNamesWithZeroKeysBase32(String plain, String stored) {
        NameCipher c = standard(ZERO, NameEncoding.BASE32);
        assertThat(c.encryptFileName(plain)).isEqualTo(stored);
        assertThat(c.decryptFileName(stored)).isEqualTo(plain);
        assertThat(c.decryptFileName(stored.toUpperCase())).isEqualTo(plain);
    }

    @ParameterizedTest
    @CsvSource({
        "1, yBxRX25ypgUVyj8MSxJnFw",
        "123, 1CxFf2Mti1xIPYlGruDh-A",
        "1234567890123456, tKa5gfvTzW4d-2bMtqYgdf5Rz-k2ZqViW6HfjbIZ6cE"})
    void emeNamesWithZeroKeysBase64(String plain, String stored) {
        NameCipher c = standard(ZERO, NameEncoding.BASE64);
        assertThat(c.encryptFileName(plain)).isEqualTo(stored);
        assertThat(c.decryptFileName(stored)).isEqualTo(plain);
    }

    @Test
    void emeNamesWithZeroKeysBase32768() {
        NameCipher c = standard(ZERO, NameEncoding.BASE32768);
        String one = "\u8a6e\u3a97\u942e\u50c0\u4f0e\u4f5c\u3ed6\u38a7\u2a9f";
        assertThat(c.encryptFileName("1")).isEqualTo(one);
        assertThat(c.decryptFileName(one)).isEqualTo("1");
    }

    @Test
    void pathsEncryptSegmentBySegmentAndDirectoryEncryptionCanBeOff() {
        NameCipher on = standard(ZERO, NameEncoding.BASE32);
        assertThat(on.filePath(dev.ferry.api.SyncPath.of("1/12/123")).toString())
                .isEqualTo("p0e52nreeaj0a5ea7s64m4j72s/l42g6771hnv3an9cgc8cr2n1ng/qgm4avr35m5loi1th53ato71v0");
        NameCipher off = new NameCipher(NameCipher.Mode.STANDARD, NameEncoding.BASE32, false, ".bin", ZERO);
        assertThat(off.filePath(dev.ferry.api.SyncPath.of("1/12/123")).toString())
                .isEqualTo("1/12/qgm4avr35m5loi1th53ato71v0");
    }

    @Test
    void obfuscationWithZeroKeys() {
        NameCipher c = new NameCipher(NameCipher.Mode.OBFUSCATE, NameEncoding.BASE32, true, ".bin", ZERO);
        assertThat(c.filePath(dev.ferry.api.SyncPath.of("1/12/123/!hello")).toString())
                .isEqualTo("49.6/99.23/150.890/53.!!lipps");
        assertThat(c.encryptFileName("\u00a1")).isEqualTo("161.\u00e4");
        assertThat(c.encryptFileName("\u03a0")).isEqualTo("160.\u03c2");
        assertThat(c.decryptFileName("53.!!lipps")).isEqualTo("!hello");
        assertThat(c.decryptFileName("!.hello")).isEqualTo("hello");
        assertThatThrownBy(() -> c.decryptFileName("hello")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void offModeAddsAndRequiresTheSuffix() {
        NameCipher c = new NameCipher(NameCipher.Mode.OFF, NameEncoding.BASE32, true, ".bin", ZERO);
        assertThat(c.filePath(dev.ferry.api.SyncPath.of("1/12/123")).toString()).isEqualTo("1/12/123.bin");
        assertThat(c.decryptFileName("123.bin")).isEqualTo("123");
        assertThatThrownBy(() -> c.decryptFileName("123.bix")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.decryptFileName(".bin")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "BASE32, hello.txt, v7n5h2fusu3akg6nptrc9mjpio",
        "BASE32, '!quote 0123 Zz', ose2jc3d2v5nj6ce8bh08nn1v4",
        "BASE32, Ünïcödé 日本語.jpg, 66l55u8vqpskm0asva7g30gasmu7o9ttju2uhm41lqokve531c1g",
        "BASE64, hello.txt, -e5Yif7nhqpA1892xNp5lg",
        "BASE64, Ünïcödé 日本語.jpg, MapS-R_WeUsBXPqPAYIK5bx8J72fhejYga6xT7ijCwM",
        "BASE32768, hello.txt, ꎗ㱢昼黊硦薝鏩胙營",
        "BASE32768, Ünïcödé 日本語.jpg, 㼕㫾䨺跴繪驊䑃ቪ餾䕉鸓麾洤⍚裿弃ᣁʟ"})
    void namesAsTheInstalledRcloneEncryptsThem(NameEncoding enc, String plain, String stored) {
        NameCipher c = standard(KAT, enc);
        assertThat(c.encryptFileName(plain)).isEqualTo(stored);
        assertThat(c.decryptFileName(stored)).isEqualTo(plain);
    }

    @Test
    void theDefaultSaltIsRclones() {
        NameCipher c = standard(KAT_DEFAULT_SALT, NameEncoding.BASE32);
        assertThat(c.encryptFileName("hello.txt")).isEqualTo("dab2l4qi40952uh43unvmoi2e8");
        assertThat(c.filePath(dev.ferry.api.SyncPath.of("a/b")).toString())
                .isEqualTo("ie5l8fprevevglgiclde0fe6qg/ulcu1boco2ubdhrd769s0pn918");
    }

    @Test
    void obfuscationAsTheInstalledRcloneDoesIt() {
        NameCipher c = new NameCipher(NameCipher.Mode.OBFUSCATE, NameEncoding.BASE32, true, ".bin", KAT);
        assertThat(c.encryptFileName("hello.txt")).isEqualTo("162.wtAAD.IMI");
        assertThat(c.encryptFileName("!quote 0123 Zz")).isEqualTo("41.!!JNHMx 1234 sS");
        assertThat(c.encryptFileName("Ünïcödé 日本語.jpg")).isEqualTo("29.üu¯j¶k© 旻杂誴.qwn");
        assertThat(c.decryptFileName("29.üu¯j¶k© 旻杂誴.qwn")).isEqualTo("Ünïcödé 日本語.jpg");
        assertThat(c.filePath(dev.ferry.api.SyncPath.of("a/b")).toString()).isEqualTo("97.z/98.c");
    }

    /** A file the installed rclone wrote: {@code Hello from rclone crypt!\n} in remote {@code b32:}. */
    private static final String RCLONE_FILE = "52434c4f4e4500008777aca0533ab10afe97d32fdc0871fe7c1228130cbb846f"
            + "ff28f63b98c1d48a386aa77600e949e1c48d682da3bc171befe35aa9e0050652ba561e2a6ab29761ff";

    @Test
    void contentRcloneEncryptedDecrypts() throws IOException {
        byte[] stored = HexFormat.of().parseHex(RCLONE_FILE);
        assertThat(ContentFormat.decryptedSize(stored.length)).isEqualTo(25);
        Nonce nonce = Nonce.of(stored, 8);
        InputStream body = new ByteArrayInputStream(stored, 32, stored.length - 32);
        byte[] plain = new DecryptingStream(body, KAT.dataKey(), nonce, 0, 0, "hello.txt").readAllBytes();
        assertThat(new String(plain, UTF_8)).isEqualTo("Hello from rclone crypt!\n");
        // Encrypting again with the stored nonce gives the stored bytes exactly.
        byte[] again = new EncryptingStream(new ByteArrayInputStream(plain), KAT.dataKey(), nonce, 0).readAllBytes();
        assertThat(again).isEqualTo(stored);
    }

    @Test
    void wrongKeyFailsNamingTheFileAndGivesNoPlaintext() {
        byte[] stored = HexFormat.of().parseHex(RCLONE_FILE);
        InputStream body = new ByteArrayInputStream(stored, 32, stored.length - 32);
        DecryptingStream in = new DecryptingStream(body, KAT_DEFAULT_SALT.dataKey(), Nonce.of(stored, 8), 0, 0,
                "hello.txt");
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        assertThatThrownBy(() -> in.transferTo(got)).isInstanceOf(DecryptionException.class)
                .hasMessageContaining("hello.txt").hasMessageContaining("failed authentication");
        assertThat(got.size()).isZero();
    }

    @ParameterizedTest
    @CsvSource({
        "0, 32", "1, 49", "65536, 65584", "65537, 65601", "1048576, 1048864",
        "1073741824, 1074004000", "1099511627777, 1099780063281"})
    void sizesMapBothWays(long plain, long stored) {
        assertThat(ContentFormat.encryptedSize(plain)).isEqualTo(stored);
        assertThat(ContentFormat.decryptedSize(stored)).isEqualTo(plain);
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "7", "33", "48", "65585", "65600"})
    void impossibleStoredSizesAreRecognised(long stored) {
        assertThat(ContentFormat.decryptedSize(stored)).isEqualTo(-1);
    }

    @Test
    void nonceIncrementsAndAddsLittleEndianWithCarry() {
        byte[] b = new byte[24];
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xFF;
        Nonce n = Nonce.of(b, 0);
        n.increment();
        assertThat(n.bytes()[0]).isZero();
        assertThat(n.bytes()[1]).isZero();
        assertThat(n.bytes()[2]).isEqualTo((byte) 1);
        byte[] full = new byte[24];
        java.util.Arrays.fill(full, 0, 8, (byte) 0xFF);
        Nonce m = Nonce.of(full, 0);
        m.add(1);
        assertThat(java.util.Arrays.copyOf(m.bytes(), 9)).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 1);
        Nonce k = Nonce.of(new byte[24], 0);
        k.add(0x0102);
        assertThat(java.util.Arrays.copyOf(k.bytes(), 3)).containsExactly(2, 1, 0);
    }
}
