package dev.ferry.cli;

import java.io.Console;

/**
 * Asks a person before something that cannot be undone. Only a terminal can answer: without one
 * (a script, cron, a pipe) the command refuses unless {@code --yes} was given, so nothing is
 * deleted because input happened to be a "y".
 */
final class Confirm {

    private Confirm() {}

    /**
     * Whether to go ahead: {@code yes} given, or a person answered y/yes on the terminal.
     *
     * @throws CliException (usage) when there is no terminal to ask and {@code yes} was not given
     */
    static boolean ask(String question, boolean yes, CliEnv env) {
        if (yes) {
            return true;
        }
        Console console = System.console();
        if (console == null) {
            throw CliException.usage("refusing without --yes: no terminal to ask \"" + question + "\"");
        }
        env.err().flush();
        String answer = console.readLine("%s (y/N)? ", question);
        return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
    }
}
