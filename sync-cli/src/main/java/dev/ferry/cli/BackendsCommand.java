package dev.ferry.cli;

import dev.ferry.api.SyncTargetProvider;
import dev.ferry.core.SyncTargets;
import dev.ferry.api.TargetOption;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ferry backends}: the providers ServiceLoader found, with their options. */
@Command(name = "backends", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List the backends found on the class path: URI scheme, description, options "
                + "(secret ones marked; they can come from env:VAR values or FERRY_REMOTE_<NAME>_<KEY>).")
final class BackendsCommand implements Callable<Integer> {

    @ParentCommand
    FerryCommand parent;

    @Mixin
    CommonOptions common;

    @Option(names = "--json", description = "Print the list as JSON.")
    boolean json;

    @Override
    public Integer call() {
        common.check();
        CliEnv env = parent.env();
        SyncTargets targets = Targets.providers();
        PrintStream out = env.out();
        if (json) {
            Json j = new Json().beginArray();
            for (SyncTargetProvider p : targets.providers().values()) {
                j.beginObject().field("scheme", p.scheme()).field("description", p.description())
                        .field("class", p.getClass().getName());
                j.name("options").beginArray();
                for (TargetOption o : p.options()) {
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
        int width = targets.providers().keySet().stream().mapToInt(String::length).max().orElse(4);
        for (SyncTargetProvider p : targets.providers().values()) {
            out.printf("%-" + width + "s  %s%n", p.scheme(), p.description());
            if (common.verbose) {
                out.printf("%-" + width + "s  (%s)%n", "", p.getClass().getName());
            }
            int ow = p.options().stream().mapToInt(o -> o.name().length()).max().orElse(0);
            for (TargetOption o : p.options()) {
                out.printf("%-" + width + "s    %-" + ow + "s  %s%s%n", "", o.name(), o.description(),
                        o.secret() ? " [secret]" : "");
            }
        }
        return ExitCode.OK.code();
    }
}
