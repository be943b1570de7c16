package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docs cannot drift from the code: every {@code ```sh} block of README.md and docs/ is run,
 * page by page in order, with {@code bash -e} in a scratch folder holding this repository's
 * {@code bin/} and {@code examples/}, against the servers the CLI's tests start (S3Proxy, Apache
 * FtpServer, {@code rclone serve webdav}), whose ports replace the docs' {@code 127.0.0.1:9000},
 * {@code :2121} and {@code :8080}. A block marked {@code ```sh no-test: why} is skipped and why is
 * printed; a block for WebDAV is skipped, saying so, where rclone is not installed. Every relative
 * link must reach a file inside the repository.
 */
class DocsTest {

    private static final Pattern FENCE = Pattern.compile("^```(.*)$");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    /** One fenced block: where it is, its info string and its text. */
    record Block(Path page, int line, String info, String text) {
        String where() {
            return CliProcess.repoRoot().relativize(page) + ":" + line;
        }
    }

    @TempDir
    static Path scratch;

    static List<Path> pages() throws IOException {
        Path root = CliProcess.repoRoot();
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> s = Files.walk(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    static List<Block> blocks(Path page) throws IOException {
        List<Block> blocks = new ArrayList<>();
        List<String> lines = Files.readAllLines(page);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = FENCE.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            int start = i;
            StringBuilder text = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            blocks.add(new Block(page, start + 1, m.group(1).strip(), text.toString()));
        }
        return blocks;
    }

    @TestFactory
    Stream<DynamicTest> everyShellBlockRuns() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path page : pages()) {
            List<Block> sh = blocks(page).stream().filter(b -> b.info().equals("sh") || b.info().startsWith("sh "))
                    .toList();
            if (!sh.isEmpty()) {
                String name = CliProcess.repoRoot().relativize(page).toString();
                tests.add(DynamicTest.dynamicTest(name, () -> runPage(page, sh)));
            }
        }
        return tests.stream();
    }

    private static void runPage(Path page, List<Block> blocks) throws Exception {
        Path repo = CliProcess.repoRoot();
        Path dir = Files.createDirectories(scratch.resolve(repo.relativize(page).toString().replace('/', '_')));
        Files.createSymbolicLink(dir.resolve("bin"), repo.resolve("bin"));
        Files.createSymbolicLink(dir.resolve("examples"), repo.resolve("examples"));
        for (Block b : blocks) {
            String skip = skipReason(b);
            if (skip != null) {
                System.out.println("DocsTest: skipped " + b.where() + ": " + skip);
                continue;
            }
            String script = servers(b.text());
            Map<String, String> env = new LinkedHashMap<>();
            env.put("AWS_ACCESS_KEY_ID", CliServers.S3_ACCESS_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", CliServers.S3_SECRET_KEY);
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            env.put("FTP_PASSWORD", CliServers.FTP_PASSWORD);
            env.put("WEBDAV_PASSWORD", CliServers.WEBDAV_PASSWORD);
            CliProcess.Outcome r = CliProcess.run(List.of("bash", "-e", "-o", "pipefail", "-c", script), dir, env,
                    dir, 300);
            System.out.println("DocsTest: ran " + b.where() + " (exit " + r.code() + ")");
            assertThat(r.code()).as("the block at %s exits 0:%n%s%n--- output:%n%s", b.where(), b.text(), r.out())
                    .isZero();
            assertThat(r.out()).as("no secret in the output of %s", b.where())
                    .doesNotContain(CliServers.S3_SECRET_KEY).doesNotContain(CliServers.WEBDAV_PASSWORD)
                    .doesNotContain("Exception");
        }
    }

    /** Why a block is not run, or null to run it. */
    static String skipReason(Block b) {
        int at = b.info().indexOf("no-test:");
        if (at >= 0) {
            String why = b.info().substring(at + "no-test:".length()).strip();
            assertThat(why).as("a no-test block says why: %s", b.where()).isNotEmpty();
            return why;
        }
        if (b.text().contains("127.0.0.1:8080") && !CliServers.hasRclone()) {
            return "rclone is not installed, so no WebDAV server runs for this block";
        }
        return null;
    }

    /** The docs' server addresses, with the ports of the servers the tests started. */
    private static String servers(String text) throws Exception {
        String t = text;
        if (t.contains("127.0.0.1:9000")) {
            t = t.replace("127.0.0.1:9000", CliServers.s3().getAuthority());
        }
        if (t.contains("127.0.0.1:2121")) {
            t = t.replace("127.0.0.1:2121", CliServers.ftpHostPort());
        }
        if (t.contains("127.0.0.1:8080")) {
            t = t.replace("127.0.0.1:8080", CliServers.webdavHostPort());
        }
        return t;
    }

    @Test
    void everyShellBlockEitherRunsOrSaysWhyNot() throws IOException {
        int run = 0;
        for (Path page : pages()) {
            for (Block b : blocks(page)) {
                if (b.info().startsWith("sh") && b.info().contains("no-test")) {
                    assertThat(b.info()).as(b.where()).matches("sh no-test: \\S.*");
                } else if (b.info().equals("sh")) {
                    run++;
                } else {
                    assertThat(b.info()).as("%s: a command block is marked sh (or is not a command)", b.where())
                            .isIn("", "java", "xml", "ini", "text");
                }
            }
        }
        assertThat(run).as("blocks the docs' test runs").isGreaterThan(25);
    }

    @Test
    void everyRelativeLinkReachesAFileInsideTheRepository() throws IOException {
        Path root = CliProcess.repoRoot();
        for (Path page : pages()) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("#")) {
                    continue;
                }
                String file = target.replaceAll("#.*$", "");
                Path resolved = page.getParent().resolve(file).normalize();
                assertThat(resolved.startsWith(root)).as("%s links outside the repository: %s",
                        root.relativize(page), target).isTrue();
                assertThat(resolved).as("%s links to %s", root.relativize(page), target).exists();
                int hash = target.indexOf('#');
                if (hash > 0 && resolved.toString().endsWith(".md")) {
                    assertThat(anchors(resolved)).as("%s links to the heading %s", root.relativize(page), target)
                            .contains(target.substring(hash + 1));
                }
            }
        }
    }

    /** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as dashes. */
    static List<String> anchors(Path page) throws IOException {
        List<String> anchors = new ArrayList<>();
        for (String line : Files.readAllLines(page)) {
            if (line.startsWith("#")) {
                String title = line.replaceFirst("^#+\\s*", "").toLowerCase(java.util.Locale.ROOT);
                anchors.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    @Test
    void theReadmeGivesTheBuildAndTheTestCommandCiRuns() throws IOException {
        Path root = CliProcess.repoRoot();
        String readme = Files.readString(root.resolve("README.md"));
        String ci = Files.readString(root.resolve(".ci/run"));
        assertThat(readme).contains("mvn -B -q -DskipTests package").contains("bin/ferry sync examples/sample-tree");
        assertThat(readme).contains("\nmvn -B verify\n");
        // CI keeps the build output for its secret scan: the same command, piped to tee.
        assertThat(ci).containsPattern("(?m)^mvn -B verify( 2>&1 \\| tee .*)?$");
    }
}
