package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CI secret check fires on a deliberate leak, and only on it. */
class SecretScanTest {

    @Test
    void everyTestSecretCarriesTheMarker() {
        for (String s : List.of(TestSecrets.FTP_PASSWORD, TestSecrets.WEBDAV_PASSWORD, TestSecrets.S3_ACCESS_KEY,
                TestSecrets.S3_SECRET_KEY, TestSecrets.CRYPT_PASSWORD)) {
            assertThat(s).contains(TestSecrets.MARKER);
        }
    }

    @Test
    void findsADeliberateLeakInAReportTreeAndNamesFileAndLine(@TempDir Path dir) throws IOException {
        Path reports = dir.resolve("backend-ftp/target/surefire-reports");
        Files.createDirectories(reports);
        Files.writeString(reports.resolve("TEST-dev.ferry.backend.ftp.FtpTargetTest.xml"), """
                <testsuite name="x"><testcase name="login"><failure message="530 Login incorrect for user
                ferry with password %s"/></testcase></testsuite>
                """.formatted(TestSecrets.FTP_PASSWORD), StandardCharsets.UTF_8);
        Files.writeString(reports.resolve("clean-output.txt"), "uploaded 3 files\nuser ferry, password ***\n");
        Files.write(reports.resolve("binary.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        Path log = dir.resolve("build.log");
        Files.writeString(log, "[INFO] ok\nWARN s3 request signed with " + TestSecrets.S3_SECRET_KEY + "\n");

        List<String> hits = SecretScan.scan(List.of(log, dir.resolve("backend-ftp"), dir.resolve("missing")));

        assertThat(hits).hasSize(2);
        assertThat(hits).anySatisfy(h -> assertThat(h).startsWith(log + ":2: WARN s3 request signed"));
        assertThat(hits).anySatisfy(h -> assertThat(h)
                .startsWith(reports.resolve("TEST-dev.ferry.backend.ftp.FtpTargetTest.xml") + ":2:"));
    }

    @Test
    void cleanOutputPasses(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("out.txt"), "ftp://ferry@127.0.0.1:2121/ (password from FERRY_FTP_PASSWORD)\n");
        assertThat(SecretScan.scan(List.of(dir))).isEmpty();
    }
}
