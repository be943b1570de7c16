package dev.ferry.cli;

import java.io.PrintStream;
import java.util.function.Function;

/**
 * What a run of the CLI talks to: its output streams, the environment, and whether a person is
 * watching (a terminal gets a redrawn progress line, anything else plain lines).
 *
 * @param out standard output: listings, plans, summaries, JSON
 * @param err standard error: errors, warnings, progress
 * @param getenv environment lookup, {@code null} for unset
 * @param terminal whether progress may be redrawn in place
 * @param debug whether to show stack traces and debug logging
 */
record CliEnv(PrintStream out, PrintStream err, Function<String, String> getenv, boolean terminal, boolean debug) {

    /** Terminal width for the progress line. */
    int columns() {
        String c = getenv.apply("COLUMNS");
        if (c != null) {
            try {
                int n = Integer.parseInt(c.trim());
                if (n >= 20) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        return 80;
    }
}
