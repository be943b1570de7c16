package dev.ferry.cli;

import dev.ferry.core.SyncTargets;

import java.io.BufferedOutputStream;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code ferry} command line. {@link #main} is the only place that exits the JVM;
 * {@link #run(String[], PrintStream, PrintStream)} runs a command in-process and returns its exit
 * code (see {@link ExitCode}).
 */
public final class Main {

    private static final Pattern OPTION_VALUE = Pattern.compile("(--?[A-Za-z0-9][A-Za-z0-9-]*)=[^'\\s]*");

    /** The hidden option {@code --checksum=strict} is read as. */
    static final String CHECKSUM_STRICT = "--checksum-strict";

    private Main() {}

    /** {@code --checksum=strict} becomes {@link #CHECKSUM_STRICT}; nothing after {@code --} is touched. */
    static String[] spelled(String[] args) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i].equals("--")) {
                break;
            }
            if (out[i].equals("--checksum=strict")) {
                out[i] = CHECKSUM_STRICT;
            }
        }
        return out;
    }

    /** Runs {@code ferry} and exits with its code. */
    public static void main(String[] args) {
        boolean terminal = isTerminal();
        // Plain output is buffered (a listing of a million files should not be a million writes);
        // a terminal sees lines as they come.
        PrintStream out = terminal ? System.out : new PrintStream(
                new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false,
                StandardCharsets.UTF_8);
        int code = run(args, new CliEnv(out, System.err, System::getenv, terminal, hasDebugFlag(args)));
        out.flush();
        System.err.flush();
        System.exit(code);
    }

    /**
     * Runs one command in-process, with the real environment, as if no terminal were attached.
     *
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System::getenv);
    }

    /** Runs one command in-process with a given environment lookup (for tests). */
    public static int run(String[] args, PrintStream out, PrintStream err, Function<String, String> getenv) {
        return run(args, new CliEnv(out, err, getenv, false, hasDebugFlag(args)));
    }

    static int run(String[] args, CliEnv env) {
        configureLogging(env.debug());
        try {
            return commandLine(env, args.length > 0 ? args[0] : null).execute(spelled(args));
        } finally {
            env.out().flush();
            env.err().flush();
        }
    }

    static CommandLine commandLine(CliEnv env, String firstArgument) {
        CommandLine cl = new CommandLine(new FerryCommand(env));
        Class<?> only = firstArgument == null || firstArgument.equals("help") ? null
                : FerryCommand.SUBCOMMANDS.get(firstArgument);
        if (only != null) {
            cl.addSubcommand(only);
        } else {
            FerryCommand.SUBCOMMANDS.values().forEach(cl::addSubcommand);
        }
        cl.setOut(new PrintWriter(env.out(), true));
        cl.setErr(new PrintWriter(env.err(), true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(parameterExceptionHandler());
        cl.setExecutionExceptionHandler(executionExceptionHandler(env));
        setExitCodeHelp(cl);
        return cl;
    }

    private static void setExitCodeHelp(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.helpList());
        cl.getSubcommands().values().forEach(Main::setExitCodeHelp);
    }

    private static IParameterExceptionHandler parameterExceptionHandler() {
        return (ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            String message = SyncTargets.redact(ex.getMessage());
            if (ex instanceof UnmatchedArgumentException) {
                message = OPTION_VALUE.matcher(message).replaceAll("$1=***");
            }
            err.println("ferry: " + message);
            UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return ExitCode.USAGE.code();
        };
    }

    private static IExecutionExceptionHandler executionExceptionHandler(CliEnv env) {
        return (ex, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            ExitCode code;
            String message;
            boolean internal = false;
            if (ex instanceof CliException c) {
                code = c.exitCode();
                message = c.getMessage();
            } else if (ex instanceof IOException) {
                code = ExitCode.FATAL;
                message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            } else {
                code = ExitCode.FATAL;
                message = "internal error: " + ex;
                internal = true;
            }
            err.println("ferry: " + SyncTargets.redact(message));
            if (env.debug()) {
                ex.printStackTrace(err);
            } else if (internal) {
                err.println("ferry: (run with --debug for details)");
            }
            err.flush();
            return code.code();
        };
    }

    private static boolean hasDebugFlag(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--debug")) {
                return true;
            }
        }
        return false;
    }

    private static void configureLogging(boolean debug) {
        // slf4j-simple reads these once, when the first logger is made; simplelogger.properties
        // in the jar makes "warn" the default.
        if (debug) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
    }

    /** Whether a person is watching: a console, and on JDK 22+ one that really is a terminal. */
    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
