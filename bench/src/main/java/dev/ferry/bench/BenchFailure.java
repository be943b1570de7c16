package dev.ferry.bench;

/** A run that must not produce a figure: a tool failed, timed out, or left a wrong destination. */
final class BenchFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BenchFailure(String message) {
        super(message);
    }
}
