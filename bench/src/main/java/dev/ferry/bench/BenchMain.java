package dev.ferry.bench;

import java.io.IOException;

/**
 * Times Ferry's CLI against {@code rclone sync} on reproducible datasets. See bench/README.md.
 * Exit status: 0 done, 1 a run failed or left a wrong destination, 2 bad usage.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        if (o.help) {
            System.out.print(Options.USAGE);
            return;
        }
        try {
            if (o.scale) {
                new ScaleBench(o).run();
            } else {
                new Bench(o).run();
            }
        } catch (BenchFailure e) {
            System.err.println();
            System.err.println("BENCH FAILED: " + e.getMessage());
            System.exit(1);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println("BENCH FAILED: " + e);
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("BENCH FAILED: interrupted");
            System.exit(1);
        }
    }
}
