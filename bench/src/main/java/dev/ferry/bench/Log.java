package dev.ferry.bench;

/** Progress goes to stderr so that stdout carries only the report. */
final class Log {
    private final long start = System.nanoTime();

    void info(String format, Object... args) {
        System.err.printf("[bench %6.1fs] %s%n", (System.nanoTime() - start) / 1e9, String.format(format, args));
        System.err.flush();
    }
}
