package dev.ferry.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds {@link TestSecrets#MARKER} in files: the build log and every file of the Surefire report
 * directories (the XML reports hold failure messages and stack traces, the {@code -output.txt}
 * files what tests printed). Run by CI after the suite:
 * {@code java -cp sync-testkit/target/classes dev.ferry.testkit.SecretScan build.log MODULE/target/surefire-reports...};
 * exits 1 naming each file and line where the marker appears.
 */
public final class SecretScan {

    private SecretScan() {}

    /** Each {@code file:line: text} where the marker appears, in files or directory trees. */
    public static List<String> scan(List<Path> roots) throws IOException {
        List<String> hits = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    scanFile(f, hits);
                }
            }
        }
        return hits;
    }

    private static void scanFile(Path f, List<String> hits) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(f), decoder))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.contains(TestSecrets.MARKER)) {
                    String shown = line.length() > 300 ? line.substring(0, 300) + "..." : line;
                    hits.add(f + ":" + n + ": " + shown.strip());
                }
            }
        }
    }

    public static void main(String[] args) throws IOException {
        List<Path> roots = new ArrayList<>();
        for (String a : args) {
            roots.add(Path.of(a));
        }
        List<String> hits = scan(roots);
        for (String h : hits) {
            System.out.println("secret printed: " + h);
        }
        System.out.println("secret scan: " + roots.size() + " roots, " + hits.size() + " lines with the test secrets' marker");
        if (!hits.isEmpty()) {
            System.exit(1);
        }
    }
}
