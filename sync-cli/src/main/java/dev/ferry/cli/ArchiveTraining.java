package dev.ferry.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind {@code bin/ferry}'s class-data archive: the classes it loads are the
 * ones the archive holds pre-parsed. A local sync walks every path of a common run (a file to
 * copy, one equal, one equal but for its time, one to delete). Then one sync per server backend
 * to a loopback port nothing can listen on (port 0): each fails at once with "connection
 * refused", having loaded its client, its request signing and its error mapping (for S3 that is
 * about 2,000 AWS SDK classes, some 0.45 s of every run without the archive). No traffic leaves
 * the machine; the user's config file and state directory are not touched.
 *
 * <p>Not part of the command line: {@code java -cp ferry.jar dev.ferry.cli.ArchiveTraining}.
 * Each unreachable sync must fail as "could not open" (exit 4), not as bad usage (exit 2, say
 * after an option was renamed), which would load no client: a test checks that.
 */
public final class ArchiveTraining {

    /** Server locations that fail at once; an unknown scheme (a backend left out) fails just as fast. */
    static final List<String> UNREACHABLE = List.of(
            "s3://training?endpoint=http://127.0.0.1:0&accessKey=training&secretKey=training",
            "ftp://training@127.0.0.1:0/training?password=training",
            "webdav://127.0.0.1:0/training");

    private ArchiveTraining() {}

    /** Runs the training syncs in a fresh temporary directory; prints nothing. */
    public static void main(String[] args) throws IOException {
        train();
    }

    /**
     * Runs the training syncs, deletes what they made and returns their exit codes: the local
     * sync's, then one per {@link #UNREACHABLE} location (each should be {@link ExitCode#FATAL}:
     * a target that could not be opened, not a usage error that loaded no client).
     */
    static List<Integer> train() throws IOException {
        Path tmp = Files.createTempDirectory("ferry-training");
        List<Integer> codes = new java.util.ArrayList<>();
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8)) {
            Path src = tmp.resolve("src");
            Path dst = tmp.resolve("dst");
            Files.createDirectories(src.resolve("dir"));
            Files.createDirectories(dst);
            Files.writeString(src.resolve("dir/file"), "x\n");
            Files.writeString(dst.resolve("old"), "y\n");
            Files.writeString(src.resolve("same"), "same\n");
            Files.copy(src.resolve("same"), dst.resolve("same"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            Files.writeString(src.resolve("time"), "time\n");
            Files.writeString(dst.resolve("time"), "time\n");
            Files.setLastModifiedTime(dst.resolve("time"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
            Files.writeString(tmp.resolve("empty.conf"), "");
            Map<String, String> env = Map.of("FERRY_CONFIG", tmp.resolve("empty.conf").toString(),
                    "XDG_STATE_HOME", tmp.resolve("state").toString());
            String state = tmp.resolve("state").toString();
            codes.add(Main.run(new String[] {"sync", "-v", "--json", "--state-dir", state, src.toString(),
                dst.toString()}, quiet, quiet, env::get));
            for (String location : UNREACHABLE) {
                codes.add(Main.run(new String[] {"sync", "--state-dir", state, src.toString(), location}, quiet, quiet,
                        env::get));
            }
        } finally {
            try (Stream<Path> all = Files.walk(tmp)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return codes;
    }
}
