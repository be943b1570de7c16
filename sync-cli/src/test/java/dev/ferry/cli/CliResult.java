package dev.ferry.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** One in-process run of the CLI, as the tests see it: its exit code and both outputs. */
record CliResult(int code, String out, String err) {

    /** Both outputs, for assertion messages. */
    String all() {
        return out + err;
    }

    /** Runs {@code ferry ARGS} in this JVM with {@code getenv} as its environment. */
    static CliResult run(Function<String, String> getenv, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e, getenv);
        }
        return new CliResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
