package dev.ferry.cli;

import dev.ferry.api.SyncTargetProvider;
import dev.ferry.api.TargetOption;
import dev.ferry.api.TargetWrapper;
import dev.ferry.core.SyncTargets;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ferry backends}: the providers and the wrappers ({@code crypt:LOCATION}) ServiceLoader
 * found, with their options.
 */
@Command(name = "backends", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List the backends found on the class path: URI scheme, description, options "
                + "(secret ones marked; they can come from env:VAR values or FERRY_REMOTE_<NAME>_<KEY>); "
                + "then the wrappers, which take another location (crypt:LOCATION).")
final class BackendsCommand implements Callable<Integer> {

    @ParentCommand
    FerryCommand parent;

    @Mixin
    CommonOptions common;

    @Option(names = "--json", description = "Print the list as JSON.")
    boolean json;

    /** A provider or a wrapper, as listed. */
    private record Backend(String scheme, String description, Class<?> type, List<TargetOption> options,
            boolean wrapper) {}

    @Override
    public Integer call() {
        common.check();
        CliEnv env = parent.env();
        SyncTargets targets = Targets.providers();
        List<Backend> all = new ArrayList<>();
        for (SyncTargetProvider p : targets.providers().values()) {
            all.add(new Backend(p.scheme(), p.description(), p.getClass(), p.options(), false));
        }
        for (TargetWrapper w : targets.wrappers().values()) {
            all.add(new Backend(w.scheme(), w.description(), w.getClass(), w.options(), true));
        }
        PrintStream out = env.out();
        if (json) {
            Json j = new Json().beginArray();
            for (Backend b : all) {
                j.beginObject().field("scheme", b.scheme()).field("description", b.description())
                        .field("class", b.type().getName()).field("wrapper", b.wrapper());
                j.name("options").beginArray();
                for (TargetOption o : b.options()) {
                    j.beginObject().field("name", o.name()).field("description", o.description())
                            .field("secret", o.secret()).endObject();
                }
                j.endArray().endObject();
            }
            out.println(j.endArray());
            return ExitCode.OK.code();
        }
        if (targets.providers().isEmpty()) {
            env.err().println("ferry: no backends found on the class path");
            return ExitCode.FATAL.code();
        }
        int width = all.stream().mapToInt(b -> label(b).length()).max().orElse(4);
        for (Backend b : all) {
            out.printf("%-" + width + "s  %s%n", label(b), b.description());
            if (common.verbose) {
                out.printf("%-" + width + "s  (%s)%n", "", b.type().getName());
            }
            int ow = b.options().stream().mapToInt(o -> o.name().length()).max().orElse(0);
            for (TargetOption o : b.options()) {
                out.printf("%-" + width + "s    %-" + ow + "s  %s%s%n", "", o.name(), o.description(),
                        o.secret() ? " [secret]" : "");
            }
        }
        return ExitCode.OK.code();
    }

    /** A wrapper is shown as it is written: {@code crypt:LOCATION}. */
    private static String label(Backend b) {
        return b.wrapper() ? b.scheme() + ":LOCATION" : b.scheme();
    }
}
