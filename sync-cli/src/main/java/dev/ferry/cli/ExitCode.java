package dev.ferry.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of {@code ferry}, one meaning each, so scripts can tell a partial failure from a
 * safety stop from a typo. When a run has both failed files and a safety stop, the safety stop
 * (3) wins: nothing was deleted, and that is the thing to look at first.
 */
public enum ExitCode {
    /** Everything was done (or, for {@code check}, no differences were found). */
    OK(0, "success (check: no differences)"),
    /** Some files failed (for {@code check}: differences were found). */
    FAILED(1, "some files failed (check: differences found)"),
    /** Bad usage: unknown option, malformed location, unknown scheme or remote, bad value, bad config file. */
    USAGE(2, "bad usage: unknown option (or one the command does not take) or bad option value, malformed "
            + "location, unknown scheme or remote, bad config file"),
    /** Deletions were withheld by a safety limit; nothing was deleted. */
    SAFETY_STOP(3, "deletions withheld by a safety limit (--max-delete, --max-delete-percent, an empty or "
            + "unreadable source): nothing was deleted"),
    /** The run could not start. */
    FATAL(4, "the run could not start: source missing, a target could not be opened, authentication failed, "
            + "one target inside the other, --checksum=strict without a common hash"),
    /**
     * Interrupted (Ctrl-C, SIGINT): the JVM's own status, 128 + 2. Never returned by a command;
     * listed so the help and the docs name it. Writes are atomic, so nothing is half-written.
     */
    INTERRUPTED(130, "interrupted (Ctrl-C): files in flight were not published; run again to finish");

    private final int code;
    private final String description;

    ExitCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }

    /** One line for the help footer. */
    public String description() {
        return description;
    }

    /** Code to description, for picocli's "Exit codes" help section. */
    static Map<String, String> helpList() {
        Map<String, String> m = new LinkedHashMap<>();
        for (ExitCode c : values()) {
            m.put(String.valueOf(c.code), c.description);
        }
        return m;
    }
}
