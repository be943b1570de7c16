package dev.ferry.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Command-line options of {@link BenchMain}. */
final class Options {
    static final String USAGE = """
            usage: BenchMain [options]   (normally started by bench/run.sh)
              --runs N          measured runs per tool and scenario, after one warm-up run (default 3)
              --ferry CMD       Ferry's command; 'sync {src} {dst}' is appended unless CMD contains
                                {src}/{dst} (default: java -jar sync-cli/target/ferry.jar)
              --rclone CMD      rclone's command (default: rclone); 'sync SRC DST --config FILE' is appended
              --work DIR        datasets, destinations and logs (default: bench/work)
              --results DIR     where the Markdown report is written (default: bench/results)
              --quick           smoke-test datasets: 1,000 small files, 2 × 8 MiB
              --datasets LIST   small,large (default: both)
              --target NAME     target pair: local (default), s3, ftp, webdav
              --timeout SEC     per-run limit (default 3600)
              --time-bin PATH   GNU time (default: /usr/bin/time)
              --embedded        also time "ferry (embedded)": each sync a request to one long-lived JVM
                                that runs dev.ferry.cli.Main.run in-process (no JVM start per run)
              --ferry-jar PATH  Ferry's jar for --embedded (default: sync-cli/target/ferry.jar)
              --scale           cost curves instead: engine time and heap against entries (see README)
              --scale-sizes L   entries per point (default 10000,100000,1000000,10000000; --quick: 1000)
              --scale-real-max N  largest point also run on disk (local, and s3 with --target s3) (default 100000)
              --scale-heap SIZE -Xmx of the engine's JVM (default 8g)
              --engine-cp CP    class path of the engine probe (bench/run.sh sets it)
              --crypt           wrap every destination in crypt: (rclone's format), for both tools
            """;

    int runs = 3;
    String ferry = "java -jar sync-cli/target/ferry.jar";
    String rclone = "rclone";
    Path work = Path.of("bench", "work");
    Path results = Path.of("bench", "results");
    boolean quick;
    Set<String> datasets = new LinkedHashSet<>(List.of("small", "large"));
    String target = "local";
    long timeoutSeconds = 3600;
    String timeBin = "/usr/bin/time";
    boolean embedded;
    boolean crypt;
    Path ferryJar = Path.of("sync-cli", "target", "ferry.jar");
    boolean help;
    boolean scale;
    List<Long> scaleSizes = List.of(10_000L, 100_000L, 1_000_000L, 10_000_000L);
    long scaleRealMax = 100_000;
    String scaleHeap = "8g";
    String engineClasspath;

    static Options parse(String[] args) {
        Options o = new Options();
        List<String> a = new ArrayList<>(List.of(args));
        for (int i = 0; i < a.size(); i++) {
            String k = a.get(i);
            switch (k) {
                case "-h", "--help" -> o.help = true;
                case "--quick" -> o.quick = true;
                case "--embedded" -> o.embedded = true;
                case "--scale" -> o.scale = true;
                case "--scale-sizes" -> {
                    List<Long> sizes = new ArrayList<>();
                    for (String n : value(a, ++i, k).split(",")) {
                        sizes.add((long) parseInt(k, n.strip().replace("_", "")));
                    }
                    o.scaleSizes = List.copyOf(sizes);
                }
                case "--scale-real-max" -> o.scaleRealMax = parseInt(k, value(a, ++i, k));
                case "--scale-heap" -> o.scaleHeap = value(a, ++i, k);
                case "--engine-cp" -> o.engineClasspath = value(a, ++i, k);
                case "--crypt" -> o.crypt = true;
                case "--ferry-jar" -> o.ferryJar = Path.of(value(a, ++i, k));
                case "--runs" -> {
                    o.runs = parseInt(k, value(a, ++i, k));
                    if (o.runs < 1) {
                        throw new IllegalArgumentException("--runs must be ≥ 1");
                    }
                }
                case "--ferry" -> o.ferry = value(a, ++i, k);
                case "--rclone" -> o.rclone = value(a, ++i, k);
                case "--work" -> o.work = Path.of(value(a, ++i, k));
                case "--results" -> o.results = Path.of(value(a, ++i, k));
                case "--target" -> o.target = value(a, ++i, k);
                case "--time-bin" -> o.timeBin = value(a, ++i, k);
                case "--timeout" -> o.timeoutSeconds = parseInt(k, value(a, ++i, k));
                case "--datasets" -> {
                    o.datasets = new LinkedHashSet<>();
                    for (String d : value(a, ++i, k).split(",")) {
                        String t = d.strip();
                        if (!t.equals("small") && !t.equals("large")) {
                            throw new IllegalArgumentException("unknown dataset '" + t + "' (small, large)");
                        }
                        o.datasets.add(t);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + k);
            }
        }
        if (o.scale && o.quick && !a.contains("--scale-sizes")) {
            o.scaleSizes = List.of(1_000L);
            o.scaleRealMax = 1_000;
        }
        return o;
    }

    private static String value(List<String> a, int i, String key) {
        if (i >= a.size()) {
            throw new IllegalArgumentException(key + " needs a value");
        }
        return a.get(i);
    }

    private static int parseInt(String key, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " wants a number, got '" + v + "'");
        }
    }
}
