package dev.ferry.cli;

import java.util.List;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Collects {@code --include} and {@code --exclude} into one list in command-line order, since the
 * first matching rule decides: each becomes {@code +glob} or {@code -glob}.
 */
final class FilterRule implements IParameterConsumer {

    /** A command that keeps filter rules. */
    interface Holder {
        List<String> filterRules();
    }

    @Override
    public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
        String name = ((OptionSpec) argSpec).longestName();
        if (args.isEmpty()) {
            throw new ParameterException(commandSpec.commandLine(), "Missing required parameter for option '"
                    + name + "' (GLOB)");
        }
        String glob = args.pop();
        ((Holder) commandSpec.userObject()).filterRules().add((name.equals("--include") ? "+" : "-") + glob);
    }
}
