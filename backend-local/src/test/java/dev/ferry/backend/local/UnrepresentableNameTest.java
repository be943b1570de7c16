package dev.ferry.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.api.ListingNotice;
import dev.ferry.api.SyncPath;
import dev.ferry.testkit.Listings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names on disk this process cannot spell (issue "two-way safety", item 4): left out of the
 * listing with an UNREPRESENTABLE_NAME notice that says what to do, never listed under a mangled
 * name (a write would create a second file, a sync would read its absence as a deletion) and
 * never reported as a hostile name.
 */
class UnrepresentableNameTest {

    @TempDir
    Path root;

    @Test
    void bytesThatAreNotUtf8AreANoticeAndTheOtherFilesAreListed() throws Exception {
        assumeThat(isWindows()).as("names are UTF-16 there; no invalid bytes to create").isFalse();
        assumeThat(System.getProperty("sun.jnu.encoding", "")).as("this test runs under a UTF-8 locale")
                .isEqualToIgnoringCase("UTF-8");
        Files.createDirectories(root.resolve("sub"));
        // Java cannot create a name that is not valid in its own charset; a shell can (byte 0xFF).
        shell("touch \"$(printf 'sub/bad\\377name')\"");
        Files.writeString(root.resolve("sub/ok.txt"), "ok");
        Files.writeString(root.resolve("sub/café.txt"), "valid UTF-8");

        Listings.Result listing = Listings.collect(new LocalTarget(root), SyncPath.of("sub"));

        assertThat(listing.names()).containsExactlyInAnyOrder("ok.txt", "café.txt");
        assertThat(listing.notices()).singleElement().satisfies(n -> {
            assertThat(n.reason()).isEqualTo(ListingNotice.Reason.UNREPRESENTABLE_NAME);
            assertThat(n.reason().isError()).isFalse();
            assertThat(n.location()).isEqualTo("sub/bad\uFFFDname");
            assertThat(n.detail()).contains("not valid in this process's file-name encoding")
                    .contains("sun.jnu.encoding=UTF-8").contains("LC_ALL=C.UTF-8");
        });
    }

    @Test
    void underThePosixLocaleAUtf8NameIsANoticeNotAMangledEntry() throws Exception {
        assumeThat(isWindows()).as("no POSIX locale").isFalse();
        Files.writeString(root.resolve("café.txt"), "c");
        Files.writeString(root.resolve("plain.txt"), "p");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                ListUnderPosixLocale.class.getName(), root.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> lines = out.lines().toList();
        assumeThat(lines).as("the child JVM's file-name encoding under LC_ALL=C").isNotEmpty()
                .first().asString().doesNotContainIgnoringCase("UTF-8");
        String encoding = lines.get(0).substring("ENCODING ".length());

        assertThat(lines).as(out).contains("ENTRY plain.txt")
                .noneMatch(l -> l.startsWith("ERROR"))
                .noneMatch(l -> l.startsWith("ENTRY caf"))
                .noneMatch(l -> l.contains("HOSTILE_NAME"));
        assertThat(lines.stream().filter(l -> l.startsWith("NOTICE"))).singleElement().asString()
                .startsWith("NOTICE UNREPRESENTABLE_NAME caf\\uFFFD\\uFFFD.txt | ")
                .contains("sun.jnu.encoding=" + encoding).contains("LC_ALL=C.UTF-8");
    }

    private void shell(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).directory(root.toFile()).redirectErrorStream(true).start();
        assumeThat(p.waitFor()).as("sh could create the file").isZero();
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
