package dev.ferry.bench;

import java.io.PrintStream;

/**
 * Stands in for {@code dev.ferry.cli.Main} in the embedded server's tests: a public static
 * {@code run(String[], PrintStream, PrintStream)} whose first argument says what to do.
 */
public final class StandInFerry {
    private StandInFerry() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String what = args.length == 0 ? "" : args[0];
        switch (what) {
            case "echo" -> {
                out.println("out: " + String.join("|", args));
                err.println("err: to stderr");
                System.out.println("stray: System.out");
                return 0;
            }
            case "env" -> {
                out.println(args[1] + "=" + System.getenv(args[1]));
                return 0;
            }
            case "exit" -> {
                err.println("failing with " + args[1]);
                return Integer.parseInt(args[1]);
            }
            case "burn" -> {
                // Burns this much CPU time, not wall time: on a loaded machine the thread gets
                // only part of each second, and the test checks the CPU time it is told.
                java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
                long until = threads.getCurrentThreadCpuTime() + Long.parseLong(args[1]) * 1_000_000L;
                long x = 0;
                while (threads.getCurrentThreadCpuTime() < until) {
                    x += Long.numberOfTrailingZeros(System.nanoTime());
                }
                out.println("burnt " + x);
                return 0;
            }
            case "sleep" -> {
                try {
                    Thread.sleep(Long.parseLong(args[1]));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 0;
            }
            case "throw" -> throw new IllegalStateException("stand-in blew up");
            case "halt" -> {
                System.err.println("stand-in halting the JVM");
                System.err.flush();
                Runtime.getRuntime().halt(7);
                return 0;
            }
            default -> {
                err.println("stand-in: unknown " + what);
                return 2;
            }
        }
    }
}
